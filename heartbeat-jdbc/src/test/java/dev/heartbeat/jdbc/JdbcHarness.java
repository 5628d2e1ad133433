package dev.heartbeat.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.ManualTime;
import dev.heartbeat.tck.CommitHold;
import dev.heartbeat.tck.DelayedCommitHarness;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The kit's harness for one real database: one HikariCP pool per database for the whole run,
 * a random table prefix per store ({@code t} + 8 hex + {@code _}), emptied and reused when the
 * store closes (jqwik tries open hundreds of stores) and dropped when the JVM exits. The store's
 * clock is the database clock plus how far the test moved its {@link ManualTime}.
 */
final class JdbcHarness implements DelayedCommitHarness {
  private final String name;
  private final String url;
  private final ReentrantLock lock = new ReentrantLock();
  private HikariDataSource dataSource; // guarded by lock
  private final ConcurrentLinkedQueue<String> free = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> created = new ConcurrentLinkedQueue<>();

  JdbcHarness(String name, String url) {
    this.name = name;
    this.url = url;
  }

  /** The pool, started on first use; a database that is down fails the test here. */
  HikariDataSource dataSource() {
    lock.lock();
    try {
      return startedDataSource();
    } finally {
      lock.unlock();
    }
  }

  private HikariDataSource startedDataSource() {
    if (dataSource == null) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(url);
      config.setPoolName("test-" + name);
      config.setMaximumPoolSize(12);
      config.setConnectionTimeout(15_000);
      dataSource = new HikariDataSource(config);
      Runtime.getRuntime().addShutdownHook(new Thread(this::dropAll, "drop-" + name));
    }
    return dataSource;
  }

  String url() {
    return url;
  }

  static String randomPrefix() {
    return "t" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "_";
  }

  /** A store with its own fresh tables, dropped when the JVM exits. */
  JdbcStore fresh(int historyLimit) {
    return fresh(historyLimit, dataSource());
  }

  /** A store with its own fresh tables on {@code connections} (this database's pool). */
  JdbcStore fresh(int historyLimit, javax.sql.DataSource connections) {
    String prefix = free.poll();
    boolean reused = prefix != null;
    if (!reused) {
      prefix = randomPrefix();
      created.add(prefix);
    }
    JdbcStore store = JdbcStore.builder(connections).tablePrefix(prefix)
        .historyLimit(historyLimit).build();
    if (!reused) {
      store.createSchema();
    }
    String recycled = prefix;
    store.afterClose(() -> {
      if (drained(store)) {
        empty(store);
        free.add(recycled);
      }
    });
    return store;
  }

  @Override
  public HeartbeatStore open(ManualTime time, int historyLimit) {
    JdbcStore store = fresh(historyLimit);
    store.clockOffset(time::elapsed);
    return store;
  }

  @Override
  public HeartbeatStore openHoldingCommits(ManualTime time, int historyLimit, CommitHold hold) {
    JdbcStore store = fresh(historyLimit, new HoldingDataSource(dataSource(), hold));
    store.clockOffset(time::elapsed);
    return store;
  }

  @Override
  public void damageAgent(HeartbeatStore store, String agentId) {
    update(store, "UPDATE %s SET status = 'EXPLODED' WHERE id = ?", "agents", agentId);
  }

  @Override
  public void damageLease(HeartbeatStore store, String name) {
    update(store, "UPDATE %s SET token = 0 WHERE name = ?", "leases", name);
  }

  private static void update(HeartbeatStore store, String template, String table, String key) {
    JdbcStore jdbc = (JdbcStore) store;
    String target = table.equals("agents") ? jdbc.sql().agents : jdbc.sql().leases;
    int rows = jdbc.withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement(template.formatted(target))) {
        ps.setString(1, key);
        return ps.executeUpdate();
      }
    });
    if (rows != 1) {
      throw new IllegalStateException("no row to damage in " + target + " for " + key);
    }
  }

  /**
   * Whether the calls that were running when the store closed have ended (an engine's abandoned
   * calls may still be on their way); a prefix that may still be written is never reused.
   */
  private static boolean drained(JdbcStore store) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (store.runningCalls() > 0) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.onSpinWait();
      Thread.yield();
    }
    return true;
  }

  private static void empty(JdbcStore store) {
    Sql sql = store.sql();
    store.withConnection(c -> {
      try (Statement st = c.createStatement()) {
        for (String table : List.of(sql.agents, sql.heartbeats, sql.events, sql.leases,
            sql.fencing, store.tablePrefix() + "tasks", store.tablePrefix() + "task_attempts",
            store.tablePrefix() + "task_tokens")) {
          st.executeUpdate("DELETE FROM " + table);
        }
      }
      return null;
    });
  }

  private void dropAll() {
    for (String prefix : created) {
      try {
        JdbcStore.builder(dataSource).tablePrefix(prefix).build().dropSchema();
      } catch (RuntimeException e) {
        // the database may be gone already; the prefix is random, nothing collides
      }
    }
    dataSource.close();
  }

  @Override
  public String toString() {
    return name;
  }
}
