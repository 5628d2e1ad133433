package dev.heartbeat.jdbc;

import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.HeartbeatStoreProvider;
import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * Opens {@code jdbc:} URIs, such as {@code jdbc:postgresql://127.0.0.1:5432/app?user=app}: the
 * whole URI is the JDBC URL, given to {@link java.sql.DriverManager} (the driver must be on the
 * class path). The store runs on a built-in pool of {@value #POOL_SIZE} connections, uses the
 * default table prefix and history limit, and creates its schema if missing. Credentials in the
 * URL never appear in {@link HeartbeatStore#describe()}.
 */
public final class JdbcStoreProvider implements HeartbeatStoreProvider {
  /** Connections of the built-in pool. */
  public static final int POOL_SIZE = 4;
  /** The longest wait for a free pooled connection. */
  static final Duration BORROW_TIMEOUT = Duration.ofSeconds(10);

  /** For the service loader. */
  public JdbcStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("jdbc");
  }

  @Override
  public HeartbeatStore open(URI uri) {
    String url = uri.toString();
    String rest = uri.getSchemeSpecificPart();
    if (!"jdbc".equalsIgnoreCase(uri.getScheme()) || rest == null || !rest.contains(":")) {
      throw new IllegalArgumentException("uri must be a JDBC URL such as "
          + "jdbc:postgresql://host:5432/db?user=u, got '" + uri + "'");
    }
    DriverManagerPool pool = new DriverManagerPool(url, POOL_SIZE, BORROW_TIMEOUT);
    try {
      JdbcStore store = JdbcStore.builder(pool, safe(url)).build();
      store.createSchema();
      return store;
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /** The URL without its query (which may hold a password) and without user info. */
  static String safe(String url) {
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    return base.replaceAll("//[^/@]*@", "//").replaceAll(";.*$", "");
  }
}
