package dev.heartbeat.file;

import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.HeartbeatStoreProvider;
import dev.heartbeat.spi.StoreUris;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Opens {@code file:} stores: {@code file:/var/lib/heartbeat}, {@code file:///var/lib/heartbeat}
 * (absolute) or {@code file:some/dir} (relative to the working directory), on the system clock
 * with the default history limit. One query parameter is read: {@code lockTimeout}
 * ({@code file:/var/lib/heartbeat?lockTimeout=2s}, see {@link FileStore.Builder#lockTimeout}).
 * An empty path ({@code file:}, what {@code "file:" + $DIR} gives when {@code DIR} is unset) and
 * the file-system root ({@code file:/}) are rejected: a store there would put its six directories
 * at the top of the disk. Build a {@link FileStore} directly for other settings.
 */
public final class FileStoreProvider implements HeartbeatStoreProvider {
  private static final List<String> KNOWN = List.of("lockTimeout");

  /** For the service loader. */
  public FileStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("file");
  }

  /**
   * @throws IllegalArgumentException when the URI is not a {@code file:} URI of a local path
   *     other than the root, has a parameter other than {@code lockTimeout} or that one twice
   *     ({@link StoreUris#settings}), or the directory cannot be created or written
   */
  @Override
  public HeartbeatStore open(URI uri) {
    return builder(uri).build();
  }

  /**
   * Opens the store at the URI without creating anything.
   *
   * @throws dev.heartbeat.StoreNotFoundException when the directory or its layout is missing
   * @throws IllegalArgumentException as {@link #open(URI)}
   */
  @Override
  public HeartbeatStore openExisting(URI uri) {
    return builder(uri).buildExisting();
  }

  private static FileStore.Builder builder(URI uri) {
    if (StoreUris.isBare(uri)) {
      throw new IllegalArgumentException("uri must name a directory, got 'file:': an empty path"
          + " (is the variable that names the directory unset?)");
    }
    Path dir = path(uri);
    if (dir.toAbsolutePath().normalize().getParent() == null) {
      throw new IllegalArgumentException("uri must name a directory below the file-system root,"
          + " got '" + uri + "': a store at the root would put its six directories there"
          + " (is the variable that names the directory unset?)");
    }
    FileStore.Builder builder = FileStore.builder(dir);
    String lockTimeout = StoreUris.settings("uri query parameter", query(uri), KNOWN,
        uri.toString())
        .get("lockTimeout");
    if (lockTimeout != null) {
      builder.lockTimeout(Checks.duration("lockTimeout", lockTimeout));
    }
    return builder;
  }

  /** The raw query; an opaque URI ({@code file:rel?x}) keeps it in its scheme-specific part. */
  private static String query(URI uri) {
    if (!uri.isOpaque()) {
      return uri.getRawQuery();
    }
    String ssp = uri.getRawSchemeSpecificPart();
    int at = ssp.indexOf('?');
    return at < 0 ? null : ssp.substring(at + 1);
  }

  static Path path(URI uri) {
    try {
      return pathOf(uri);
    } catch (java.nio.file.InvalidPathException e) {
      throw new IllegalArgumentException("uri must name a path this file system can hold, got '"
          + uri + "' (" + e.getReason() + ")", e);
    }
  }

  private static Path pathOf(URI uri) {
    if (uri == null || !"file".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("uri must be a file: URI, got '" + uri + "'");
    }
    if (uri.getFragment() != null) {
      throw new IllegalArgumentException("uri must not have a fragment, got '" + uri + "'");
    }
    if (uri.isOpaque()) {
      String relative = uri.getSchemeSpecificPart();
      int query = relative == null ? -1 : relative.indexOf('?');
      if (query >= 0) {
        relative = relative.substring(0, query);
      }
      if (relative == null || relative.isBlank()) {
        throw new IllegalArgumentException("uri must name a directory, got '" + uri
            + "' (is the variable that names the directory unset?)");
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
