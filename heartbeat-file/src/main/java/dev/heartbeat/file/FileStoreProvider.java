package dev.heartbeat.file;

import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.HeartbeatStoreProvider;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

/**
 * Opens {@code file:} stores: {@code file:/var/lib/heartbeat}, {@code file:///var/lib/heartbeat}
 * (absolute) or {@code file:some/dir} (relative to the working directory), on the system clock
 * with the default history limit. Build a {@link FileStore} directly for other settings.
 */
public final class FileStoreProvider implements HeartbeatStoreProvider {

  /** For the service loader. */
  public FileStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("file");
  }

  /**
   * @throws IllegalArgumentException when the URI is not a {@code file:} URI of a local path, or
   *     the directory cannot be created or written
   */
  @Override
  public HeartbeatStore open(URI uri) {
    return FileStore.open(path(uri));
  }

  static Path path(URI uri) {
    if (uri == null || !"file".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("uri must be a file: URI, got '" + uri + "'");
    }
    if (uri.getQuery() != null || uri.getFragment() != null) {
      throw new IllegalArgumentException("uri must not have a query or fragment, got '" + uri
          + "'");
    }
    if (uri.isOpaque()) {
      String relative = uri.getSchemeSpecificPart();
      if (relative == null || relative.isBlank()) {
        throw new IllegalArgumentException("uri must name a directory, got '" + uri + "'");
      }
      return Path.of(relative);
    }
    String host = uri.getAuthority();
    if (host != null && !host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
      throw new IllegalArgumentException("uri must name a local directory, not one on host '"
          + host + "', got '" + uri + "'");
    }
    String path = uri.getPath();
    if (path == null || path.isEmpty()) {
      throw new IllegalArgumentException("uri must name a directory, got '" + uri + "'");
    }
    return Path.of(path);
  }
}
