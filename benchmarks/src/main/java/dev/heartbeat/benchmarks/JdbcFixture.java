package dev.heartbeat.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.heartbeat.Lease;
import dev.heartbeat.jdbc.JdbcStore;
import dev.heartbeat.spi.HeartbeatStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The JDBC store on H2 (in memory), PostgreSQL or MariaDB, on one HikariCP pool, with a fresh
 * table prefix. Its baseline is a raw prepared {@code UPDATE} of the same lease row on the same
 * pool, in auto-commit: the same compare (name, holder, token, not expired by the database clock)
 * and the same writes (renewed_at, expires_at, ttl), without reading the row back.
 */
final class JdbcFixture implements Fixture {
  static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test?user=root";

  private final HikariDataSource pool;
  private final String prefix;
  private final JdbcStore store;
  private final String rawUpdate;

  JdbcFixture(String kind, String tag, int poolSize) {
    this.pool = pool(kind, tag, poolSize);
    this.prefix = tag + "_";
    this.store = JdbcStore.builder(pool).tablePrefix(prefix).build();
    store.createSchema();
    String now = switch (kind) {
      case "postgres" -> "(extract(epoch from statement_timestamp()) * 1000000)::bigint";
      case "mariadb" -> "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6))";
      default -> "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP(6)) * 1000000 AS BIGINT)";
    };
    this.rawUpdate = "UPDATE " + prefix + "leases SET renewed_at = " + now + ", expires_at = "
        + now + " + ?, ttl_us = ? WHERE name = ? AND holder = ? AND token = ? AND expires_at > "
        + now;
  }

  /** A pool on one of the three databases; the benchmark closes it. */
  static HikariDataSource pool(String kind, String tag, int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(switch (kind) {
      case "postgres" -> POSTGRES_URL;
      case "mariadb" -> MARIADB_URL;
      case "h2" -> "jdbc:h2:mem:" + tag + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000";
      default -> throw new IllegalArgumentException("not a JDBC store: " + kind);
    });
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(poolSize);
    config.setPoolName("bench-" + kind + "-" + tag);
    return new HikariDataSource(config);
  }

  HikariDataSource pool() {
    return pool;
  }

  String prefix() {
    return prefix;
  }

  @Override
  public HeartbeatStore store() {
    return store;
  }

  @Override
  public boolean rawRenew(Lease lease, Duration ttl) throws SQLException {
    long ttlUs = ttl.toNanos() / 1000;
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement(rawUpdate)) {
      ps.setLong(1, ttlUs);
      ps.setLong(2, ttlUs);
      ps.setString(3, lease.name());
      ps.setString(4, lease.holder());
      ps.setLong(5, lease.token());
      return ps.executeUpdate() == 1;
    }
  }

  /** Drops the given tables of this prefix (and the store's five). */
  void drop(String... extra) throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      for (String t : extra) {
        s.execute("DROP TABLE IF EXISTS " + prefix + t);
      }
      for (String t : new String[] {"heartbeats", "events", "leases", "fencing", "agents"}) {
        s.execute("DROP TABLE IF EXISTS " + prefix + t);
      }
    }
  }

  @Override
  public void close() throws SQLException {
    try {
      store.close();
      drop();
    } finally {
      pool.close();
    }
  }
}
