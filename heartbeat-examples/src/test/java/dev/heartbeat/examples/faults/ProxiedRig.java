package dev.heartbeat.examples.faults;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.redis.RedisStore;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.FaultProxy;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * A store on a server: the worker processes reach it through the kit's {@link FaultProxy} (a
 * real TCP proxy on a loopback port, in this JVM), whose {@link FaultProxy#blackHole()} is the
 * black-out (calls hang until their own timeouts; {@link FaultProxy#heal()} closes the
 * connections it swallowed bytes of, and the clients connect again); the test talks to the
 * server directly.
 */
final class ProxiedRig implements StoreRig {
  private final HeartbeatStore store;
  private final FaultProxy proxy;
  private final String childUri;
  private final Runnable cleanUp;

  private ProxiedRig(HeartbeatStore store, FaultProxy proxy, String childUri, Runnable cleanUp) {
    this.store = store;
    this.proxy = proxy;
    this.childUri = childUri;
    this.cleanUp = cleanUp;
  }

  /**
   * PostgreSQL at 127.0.0.1:5432 (database {@code test}, user {@code postgres}) under a fresh
   * table prefix, whose tables are dropped at close.
   */
  static StoreRig postgres(java.nio.file.Path dir) {
    String prefix = "tf" + UUID.randomUUID().toString().substring(0, 8) + "_";
    IntFunction<String> uri = port -> "jdbc:postgresql://127.0.0.1:" + port
        + "/test?user=postgres#tablePrefix=" + prefix;
    HeartbeatStore store = Heartbeats.openStore(uri.apply(5432));
    FaultProxy proxy = FaultProxy.to(5432);
    return new ProxiedRig(store, proxy, uri.apply(proxy.port()), () -> dropTables(prefix));
  }

  private static void dropTables(String prefix) {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        java.sql.Statement s = c.createStatement()) {
      java.util.List<String> tables = new java.util.ArrayList<>();
      try (java.sql.ResultSet r = s.executeQuery("SELECT tablename FROM pg_tables WHERE "
          + "schemaname = current_schema() AND tablename LIKE '" + prefix + "%'")) {
        while (r.next()) {
          tables.add(r.getString(1));
        }
      }
      for (String t : tables) {
        s.execute("DROP TABLE IF EXISTS \"" + t + "\" CASCADE");
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("could not drop the tables of " + prefix, e);
    }
  }

  /**
   * Redis at 127.0.0.1:6379 under a fresh key prefix: the test builds its store with
   * {@link dev.heartbeat.redis.RedisStoreBuilder#freshPrefixWithoutQuarantine()}, which writes
   * the prefix's epoch marker with no quarantine; the workers open
   * {@code redis://127.0.0.1:PROXY?prefix=P}, find that marker and start without a quarantine
   * too. The prefix's keys are removed at close.
   */
  static StoreRig redis(java.nio.file.Path dir) {
    String prefix = "taskfaults-" + UUID.randomUUID().toString().substring(0, 8);
    HeartbeatStore store = RedisStore.builder("redis://127.0.0.1:6379").keyPrefix(prefix)
        .freshPrefixWithoutQuarantine().build();
    FaultProxy proxy = FaultProxy.to(6379);
    return new ProxiedRig(store, proxy,
        "redis://127.0.0.1:" + proxy.port() + "?prefix=" + prefix, () -> unlinkAll(prefix));
  }

  @Override
  public HeartbeatStore store() {
    return store;
  }

  @Override
  public String childUri() {
    return childUri;
  }

  @Override
  public void blackOut(String queue) {
    proxy.blackHole();
  }

  @Override
  public void restore() {
    proxy.heal();
  }

  @Override
  public void close() {
    try {
      proxy.close();
      store.close();
    } finally {
      cleanUp.run();
    }
  }

  /** SCAN + UNLINK of every key holding {@code prefix}. */
  private static void unlinkAll(String prefix) {
    RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
    try (StatefulRedisConnection<String, String> conn = client.connect()) {
      RedisCommands<String, String> redis = conn.sync();
      ScanCursor cursor = ScanCursor.INITIAL;
      ScanArgs args = ScanArgs.Builder.matches("*" + prefix + "*").limit(1000);
      for (int round = 0; round < 10_000 && !cursor.isFinished(); round++) {
        KeyScanCursor<String> page = redis.scan(cursor, args);
        if (!page.getKeys().isEmpty()) {
          redis.unlink(page.getKeys().toArray(String[]::new));
        }
        cursor = page;
      }
    } finally {
      client.shutdown();
    }
  }
}
