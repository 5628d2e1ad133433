package dev.heartbeat.grpc;

import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.HeartbeatStoreProvider;
import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * Opens {@code grpc://host:port} (optionally {@code ?deadlineMs=5000}, the deadline of each call)
 * as a {@link GrpcStore}, found by {@code Heartbeats.open("grpc://...")}.
 */
public final class GrpcStoreProvider implements HeartbeatStoreProvider {
  /** For {@link java.util.ServiceLoader}. */
  public GrpcStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("grpc");
  }

  @Override
  public HeartbeatStore open(URI uri) {
    if (!"grpc".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("not a grpc:// URI: " + uri);
    }
    if (uri.getHost() == null || uri.getPort() < 1) {
      throw new IllegalArgumentException("a grpc store URI names host and port, as in "
          + "grpc://127.0.0.1:50051; got " + uri);
    }
    return GrpcStore.connect(uri.getHost(), uri.getPort(), deadline(uri));
  }

  /**
   * Opens the store as {@link #open} does: the server is there or it is not, and opening creates
   * and writes nothing either way.
   *
   * @param uri the URI
   * @return the open store, which the caller closes
   * @throws IllegalArgumentException when the URI is not {@code grpc://host:port}
   * @throws dev.heartbeat.HeartbeatStoreException when the server does not answer
   */
  @Override
  public HeartbeatStore openExisting(URI uri) {
    return open(uri);
  }

  private static Duration deadline(URI uri) {
    String query = uri.getQuery();
    if (query == null || query.isEmpty()) {
      return GrpcStore.DEFAULT_DEADLINE;
    }
    for (String part : query.split("&", 16)) {
      if (part.startsWith("deadlineMs=")) {
        String value = part.substring("deadlineMs=".length());
        try {
          return Duration.ofMillis(Long.parseLong(value));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("deadlineMs must be a number of milliseconds, got '"
              + value + "' in " + uri, e);
        }
      }
      throw new IllegalArgumentException("unknown parameter '" + part + "' in " + uri
          + " (grpc:// takes deadlineMs)");
    }
    return GrpcStore.DEFAULT_DEADLINE;
  }
}
