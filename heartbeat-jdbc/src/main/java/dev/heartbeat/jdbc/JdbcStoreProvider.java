package dev.heartbeat.jdbc;

import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.HeartbeatStoreProvider;
import dev.heartbeat.spi.StoreUris;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Opens {@code jdbc:} URIs such as {@code jdbc:postgresql://127.0.0.1:5432/app?user=app}: the URI
 * without its fragment is the JDBC URL, given to {@link java.sql.DriverManager} (the driver must
 * be on the class path). The store runs on a built-in pool of {@value #POOL_SIZE} connections
 * and creates its schema if missing. The optional fragment sets the store:
 * {@code #tablePrefix=hb_&historyLimit=500&poolSize=8}. Credentials in the URL never appear in
 * {@link HeartbeatStore#describe()}.
 */
public final class JdbcStoreProvider implements HeartbeatStoreProvider {
  /** Connections of the built-in pool unless {@code poolSize} is given. */
  public static final int POOL_SIZE = 4;
  /** The longest wait for a free pooled connection. */
  static final Duration BORROW_TIMEOUT = Duration.ofSeconds(10);
  private static final List<String> KNOWN = List.of("tablePrefix", "historyLimit", "poolSize");

  /** For the service loader. */
  public JdbcStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("jdbc");
  }

  /**
   * Opens the store and creates its schema.
   *
   * @throws IllegalArgumentException when the URI is not a JDBC URL or the fragment has an
   *     unknown key or a bad value
   * @throws dev.heartbeat.HeartbeatStoreException when the database cannot be reached
   */
  @Override
  public HeartbeatStore open(URI uri) {
    return open(uri, false);
  }

  /**
   * Opens the store if its tables are there; creates nothing.
   *
   * @throws dev.heartbeat.StoreNotFoundException naming the table prefix and the missing tables
   * @throws IllegalArgumentException as {@link #open(URI)}
   * @throws dev.heartbeat.HeartbeatStoreException when the database cannot be reached
   */
  @Override
  public HeartbeatStore openExisting(URI uri) {
    return open(uri, true);
  }

  private static HeartbeatStore open(URI uri, boolean existing) {
    String rest = uri.getRawSchemeSpecificPart();
    if (!"jdbc".equalsIgnoreCase(uri.getScheme()) || rest == null || rest.indexOf(':') < 1) {
      throw new IllegalArgumentException("uri must be a JDBC URL such as "
          + "jdbc:postgresql://host:5432/db?user=u, got '"
          + StoreUris.withoutUserInfo(uri.toString()) + "'");
    }
    String url = "jdbc:" + rest;
    Map<String, String> options =
        StoreUris.settings("uri fragment", uri.getRawFragment(), KNOWN, safe(url));
    String size = options.get("poolSize");
    DriverManagerPool pool = new DriverManagerPool(url,
        size == null ? POOL_SIZE : positive("poolSize", size), BORROW_TIMEOUT);
    try {
      JdbcStore.Builder builder = JdbcStore.builder(pool, safe(url));
      if (options.containsKey("tablePrefix")) {
        builder.tablePrefix(options.get("tablePrefix"));
      }
      if (options.containsKey("historyLimit")) {
        builder.historyLimit(positive("historyLimit", options.get("historyLimit")));
      }
      JdbcStore store = builder.createSchema(!existing).build();
      if (existing) {
        store.requireSchema();
      }
      return store;
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  private static int positive(String key, String value) {
    return Checks.wholeNumber(key, value, 1);
  }

  /** The URL without its query or H2 settings (which may hold a password) and user info. */
  static String safe(String url) {
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    return StoreUris.withoutUserInfo(base).replaceAll(";.*$", "");
  }
}
