package dev.heartbeat.redis;

import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.ManualTime;
import dev.heartbeat.tck.StoreHarness;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The kit's harness for the Redis store: every store is a fresh random key prefix on one shared
 * client (the test run's keys are removed with SCAN + UNLINK when the JVM exits), its clock the
 * server's plus the test clock's progress. Stores quarantine nothing on their first sight of the
 * server (the data-loss tests do).
 */
final class RedisHarness implements StoreHarness {
  /** The harness on the Redis at 127.0.0.1:6379. */
  static final RedisHarness INSTANCE = withCleanUpAtExit(client("redis://127.0.0.1:6379"));

  private final AbstractRedisClient client;
  private final String run = "hbt-" + UUID.randomUUID().toString().substring(0, 8);
  private final AtomicInteger stores = new AtomicInteger();

  RedisHarness(AbstractRedisClient client) {
    this.client = client;
  }

  private static RedisHarness withCleanUpAtExit(AbstractRedisClient client) {
    RedisHarness harness = new RedisHarness(client);
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(harness::cleanUp));
    return harness;
  }

  static RedisClient client(String uri) {
    RedisClient client = RedisClient.create(RedisURI.create(uri));
    client.setOptions(ClientOptions.builder()
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(10)))
        .build());
    return client;
  }

  /** A builder for a fresh prefix of this run on the shared client. */
  RedisStoreBuilder builder(ManualTime time) {
    RedisStoreBuilder builder = client instanceof RedisClient c
        ? RedisStore.builder(c)
        : RedisStore.builder((io.lettuce.core.cluster.RedisClusterClient) client);
    return builder.keyPrefix(run + "-" + stores.incrementAndGet())
        .maxLeaseTtl(Duration.ofMinutes(10))
        .commandTimeout(Duration.ofSeconds(10))
        .clockOffset(time::elapsed);
  }

  @Override
  public HeartbeatStore open(ManualTime time, int historyLimit) {
    return builder(time).historyLimit(historyLimit).trustEmptyServer().build();
  }

  /**
   * This harness with the store's clock pinned to {@code time}'s instant (the scripts read no
   * {@code TIME}), for the task kit, which compares instants of different calls exactly and
   * orders ties within one instant: a server clock that runs on between calls cannot meet it.
   */
  StoreHarness pinned() {
    RedisHarness outer = this;
    return new StoreHarness() {
      @Override
      public HeartbeatStore open(ManualTime time, int historyLimit) {
        return outer.builder(time).pinnedClock(time::instant).historyLimit(historyLimit)
            .trustEmptyServer().build();
      }

      @Override
      public void damageAgent(HeartbeatStore store, String agentId) {
        outer.damageAgent(store, agentId);
      }

      @Override
      public void damageLease(HeartbeatStore store, String name) {
        outer.damageLease(store, name);
      }
    };
  }

  @Override
  public void damageAgent(HeartbeatStore store, String agentId) {
    Context ctx = ((RedisStore) store).context();
    ctx.link().await(ctx.link().commands().hset(ctx.keys().agent(agentId), "seq", "garbage"), "damage");
  }

  @Override
  public void damageLease(HeartbeatStore store, String name) {
    Context ctx = ((RedisStore) store).context();
    ctx.link().await(ctx.link().commands().hdel(ctx.keys().lease(name), "holder"), "damage");
  }

  /** Removes every key this run wrote. */
  void cleanUp() {
    try {
      RedisKeys.unlinkAll(client, run);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
