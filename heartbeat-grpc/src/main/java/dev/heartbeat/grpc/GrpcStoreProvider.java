package dev.heartbeat.grpc;

import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.HeartbeatStoreProvider;
import dev.heartbeat.spi.StoreUris;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Opens {@code grpc://host:port} and {@code grpcs://host:port} (TLS) as a {@link GrpcStore},
 * found by {@code Heartbeats.open("grpc://...")}. Query parameters: {@code deadlineMs} (the
 * deadline of each call), {@code token} (sent as {@code authorization: Bearer <token>}, shown
 * as {@code ***} in every message) and, for {@code grpcs://}, {@code trustCert} (a PEM file of
 * the certificates to trust; the JDK's authorities when absent).
 */
public final class GrpcStoreProvider implements HeartbeatStoreProvider {
  private static final Pattern TOKEN = Pattern.compile("(?i)((?:^|[?&])token=)[^&#]*");

  /** For {@link java.util.ServiceLoader}. */
  public GrpcStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("grpc", "grpcs");
  }

  @Override
  public HeartbeatStore open(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    String shown = shown(uri);
    if (!schemes().contains(scheme)) {
      throw new IllegalArgumentException("not a grpc:// or grpcs:// URI: " + shown);
    }
    if (uri.getHost() == null || uri.getPort() < 1) {
      throw new IllegalArgumentException("a grpc store URI names host and port, as in "
          + "grpc://127.0.0.1:50051; got " + shown);
    }
    boolean tls = scheme.equals("grpcs");
    List<String> known = tls ? List.of("deadlineMs", "token", "trustCert")
        : List.of("deadlineMs", "token");
    Map<String, String> settings;
    try {
      settings = StoreUris.settings("uri parameter", uri.getRawQuery(), known, shown);
    } catch (IllegalArgumentException e) {
      // a token that is not URL-encoded would be quoted: mask it, and keep no cause that has it
      java.util.regex.Matcher m = TOKEN.matcher(uri.getRawQuery());
      String message = e.getMessage();
      while (m.find()) {
        String raw = m.group().substring(m.group(1).length());
        message = raw.isEmpty() ? message : message.replace(raw, "***");
      }
      throw new IllegalArgumentException(message);
    }
    GrpcStoreBuilder b = GrpcStore.builder(uri.getHost(), uri.getPort());
    String deadline = settings.get("deadlineMs");
    if (deadline != null) {
      try {
        b.deadline(Duration.ofMillis(Long.parseLong(deadline)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("deadlineMs must be a number of milliseconds, got '"
            + deadline + "' in " + shown, e);
      }
    }
    if (settings.containsKey("token")) {
      b.token(settings.get("token"));
    }
    if (settings.containsKey("trustCert")) {
      b.trustCertificate(Path.of(settings.get("trustCert")));
    } else if (tls) {
      b.tls();
    }
    return b.connect();
  }

  /** {@code uri} as it may be shown: without user-info, its token {@code ***}. */
  static String shown(URI uri) {
    return TOKEN.matcher(StoreUris.withoutUserInfo(uri.toString())).replaceAll("$1***");
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
}
