package dev.heartbeat.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.heartbeat.Lease;
import dev.heartbeat.jdbc.JdbcStore;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.LeaseRenewal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The JDBC store on H2 (in memory), PostgreSQL or MariaDB, on one HikariCP pool, with a fresh
 * table prefix. Its baseline is a raw prepared {@code UPDATE} of the same lease row on the same
 * pool, in auto-commit: the same compare (name, holder, token, not expired by the database clock)
 * and the same writes (renewed_at, expires_at, ttl), without reading the row back.
 */
final class JdbcFixture implements Fixture {
  static final String POSTGRES_URL = System.getProperty("hb.bench.postgres",
      "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
  /**
   * Multi-statement queries allowed for {@link BeatCostBench}'s raw write of two statements in
   * one round trip; the store sends one statement at a time either way.
   */
  static final String MARIADB_URL =
      "jdbc:mariadb://127.0.0.1:3306/test?user=root&allowMultiQueries=true";
  /** From this many leases on, {@link #seed} writes the rows directly. */
  static final int BULK = 1000;

  private final HikariDataSource pool;
  private final String prefix;
  private final JdbcStore store;
  private final String rawUpdate;
  private final String now;

  JdbcFixture(String kind, String tag, int poolSize) {
    this.pool = pool(kind, tag, poolSize);
    this.prefix = tag + "_";
    this.store = JdbcStore.builder(pool).tablePrefix(prefix).build();
    store.createSchema();
    this.now = switch (kind) {
      case "postgres" -> "(extract(epoch from statement_timestamp()) * 1000000)::bigint";
      case "mariadb" -> "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6))";
      default -> "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP(6)) * 1000000 AS BIGINT)";
    };
    this.rawUpdate = "UPDATE " + prefix + "leases SET renewed_at = " + now + ", expires_at = "
        + now + " + ?, ttl_us = ? WHERE name = ? AND holder = ? AND token = ? AND expires_at > "
        + now;
  }

  @Override
  public List<LeaseRenewal> seed(String namePrefix, String holder, int size, Duration ttl)
      throws Exception {
    if (size < BULK) {
      return Fixture.super.seed(namePrefix, holder, size, ttl);
    }
    long ttlUs = ttl.toNanos() / 1000;
    List<LeaseRenewal> out = new ArrayList<>(size);
    try (Connection c = pool.getConnection()) {
      long dbNow;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + now)) {
        rs.next();
        dbNow = rs.getLong(1);
      }
      c.setAutoCommit(false);
      try (PreparedStatement fence = c.prepareStatement("INSERT INTO " + prefix
              + "fencing (name, token, transitions) VALUES (?, 1, 1)");
          PreparedStatement lease = c.prepareStatement("INSERT INTO " + prefix + "leases (name,"
              + " holder, token, acquired_at, renewed_at, expires_at, ttl_us, transitions)"
              + " VALUES (?, ?, 1, ?, ?, ?, ?, 1)")) {
        for (int i = 0; i < size; i++) {
          String name = namePrefix + "-" + i;
          fence.setString(1, name);
          fence.addBatch();
          lease.setString(1, name);
          lease.setString(2, holder);
          lease.setLong(3, dbNow);
          lease.setLong(4, dbNow);
          lease.setLong(5, dbNow + ttlUs);
          lease.setLong(6, ttlUs);
          lease.addBatch();
          out.add(new LeaseRenewal(name, holder, 1, ttl));
          if (i % 1000 == 999 || i == size - 1) {
            fence.executeBatch();
            lease.executeBatch();
          }
        }
      }
      c.commit();
      c.setAutoCommit(true);
    }
    return out;
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
    if (kind.equals("postgres")) {
      // ManyLeasesRun finds this pool's server processes by it (pg_stat_activity)
      config.addDataSourceProperty("ApplicationName", applicationName(tag));
    }
    return new HikariDataSource(config);
  }

  /** The {@code application_name} of the PostgreSQL connections of a pool of this tag. */
  static String applicationName(String tag) {
    return "bench-" + tag;
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

  /** Drops the given tables of this prefix (and the store's nine: the task tables first). */
  void drop(String... extra) throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      for (String t : extra) {
        s.execute("DROP TABLE IF EXISTS " + prefix + t);
      }
      for (String t : new String[] {"task_attempts", "tasks", "task_tokens", "heartbeats",
          "events", "leases", "fencing", "agents_gone", "agents"}) {
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
