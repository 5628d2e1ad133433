package dev.heartbeat.jdbc;

import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.HeartbeatStoreProvider;
import dev.heartbeat.spi.StoreUris;
import java.net.URI;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Opens {@code jdbc:} URIs such as {@code jdbc:postgresql://127.0.0.1:5432/app?user=app}: the URI
 * without its fragment is the JDBC URL, given to {@link java.sql.DriverManager} (the driver must
 * be on the class path). The store runs on a HikariCP pool of {@value #POOL_SIZE} connections
 * (a dependency of this module, {@code requires static} in its descriptor: a store built on your
 * own DataSource does not need it, and without it a URI fails with a clear error) and creates its schema if missing. The optional
 * fragment sets the store: {@code #tablePrefix=hb_&historyLimit=500&poolSize=8&networkTimeout=5s
 * &queryTimeout=3s} (durations as {@code 500ms}, {@code 5s}, {@code 1m} or ISO-8601; {@code 0} turns
 * a timeout off; see {@link JdbcStoreBuilder#networkTimeout} and
 * {@link JdbcStoreBuilder#queryTimeout}). The URL's own query belongs to the driver (pgjdbc's
 * {@code socketTimeout} is in seconds, MariaDB's in milliseconds); the fragment's timeouts work
 * the same on every driver. Credentials in the URL never appear in
 * {@link HeartbeatStore#describe()}.
 */
public final class JdbcStoreProvider implements HeartbeatStoreProvider {
  /** Connections of the pool unless {@code poolSize} is given. */
  public static final int POOL_SIZE = 4;
  /** The longest wait for a free pooled connection. */
  static final Duration BORROW_TIMEOUT = Duration.ofSeconds(10);
  private static final List<String> KNOWN = List.of("tablePrefix", "historyLimit", "poolSize", "networkTimeout",
      "queryTimeout");

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
          + "jdbc:postgresql://host:5432/db?user=u, got '" + StoreUris.shown(uri) + "'");
    }
    String url = "jdbc:" + rest;
    Map<String, String> options =
        StoreUris.settings("uri fragment", uri.getRawFragment(), KNOWN, safe(url));
    String size = options.get("poolSize");
    int poolSize = size == null ? POOL_SIZE : positive("poolSize", size);
    ConnectionSource pool = pool(url, poolSize);
    try {
      JdbcStoreBuilder builder = JdbcStore.builder(pool, safe(url));
      for (Map.Entry<String, String> option : options.entrySet()) {
        switch (option.getKey()) {
          case "tablePrefix" -> builder.tablePrefix(option.getValue());
          case "historyLimit" -> builder.historyLimit(positive("historyLimit", option.getValue()));
          case "networkTimeout" -> builder.networkTimeout(
              timeout("networkTimeout", option.getValue()));
          case "queryTimeout" -> builder.queryTimeout(timeout("queryTimeout", option.getValue()));
          default -> { } // poolSize, read above
        }
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

  /** HikariCP on {@code url}, or a clear error when it is not on the class or module path. */
  private static ConnectionSource pool(String url, int size) {
    try {
      Class.forName("com.zaxxer.hikari.HikariDataSource", false,
          JdbcStoreProvider.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException("jdbc: URIs run on HikariCP, which is not on the class "
          + "path: add com.zaxxer:HikariCP, or build the store on your own DataSource with "
          + "JdbcStore.builder(dataSource)", e);
    }
    try {
      DriverManager.getDriver(url);
    } catch (SQLException e) {
      // said here: HikariCP's own message repeats the URL with its user info and password
      throw new IllegalArgumentException("uri names no JDBC driver on the class path: '"
          + safe(url) + "' (add the driver, such as org.postgresql:postgresql, "
          + "org.mariadb.jdbc:mariadb-java-client or com.h2database:h2)");
    }
    return new HikariSource(url, "heartbeat " + safe(url), size, BORROW_TIMEOUT);
  }

  /** A timeout as a URI gives it: {@code 0} (none) or a positive duration. */
  private static Duration timeout(String key, String value) {
    return value.strip().equals("0") ? Duration.ZERO : Checks.duration(key, value);
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
