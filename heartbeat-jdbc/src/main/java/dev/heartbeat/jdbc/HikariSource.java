package dev.heartbeat.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The pool behind {@code jdbc:} URIs: HikariCP, the pool JVM users already run, with at most
 * {@code size} connections and a bounded wait for one. A connection that failed while lent is
 * evicted, never lent again. Hikari takes no lock while a caller waits for the database, so
 * virtual threads do not pin in it. Loaded only when a {@code jdbc:} URI is opened: the module
 * requires HikariCP statically, so a store on the user's own DataSource runs without it.
 */
final class HikariSource implements ConnectionSource {
  private final HikariDataSource pool;

  HikariSource(String url, String name, int size, Duration borrowTimeout) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setPoolName(name);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(Math.min(1, size));
    config.setConnectionTimeout(borrowTimeout.toMillis());
    config.setInitializationFailTimeout(-1); // an unreachable database fails the first call
    pool = new HikariDataSource(config);
  }

  @Override
  public Connection borrow() throws SQLException {
    return pool.getConnection();
  }

  @Override
  public void giveBack(Connection connection, boolean broken) {
    if (broken) {
      pool.evictConnection(connection);
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      pool.evictConnection(connection);
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
