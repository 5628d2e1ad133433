package dev.heartbeat.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.TaskSpec;
import dev.heartbeat.spi.TaskSignals;
import dev.heartbeat.spi.TaskStore;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.ManualTime;
import dev.heartbeat.tck.StoreHarness;
import dev.heartbeat.tck.TaskSignalsContract;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The kit's signals contract on the Redis at 127.0.0.1:6379 (sharded pub/sub on a single
 * server), its clock pinned to the test's; the store's one pub/sub connection leaves a queue's
 * channel when the queue's last listener leaves, and a store built without signals has none.
 */
class RedisTaskSignalsTest extends TaskSignalsContract {
  @Override
  protected StoreHarness harness() {
    return RedisHarness.INSTANCE.pinned();
  }

  @Test
  void theLastListenerLeavingUnsubscribesTheChannel() {
    RedisStore store = (RedisStore) open();
    TaskSignals signals = store.tasks().orElseThrow().signals().orElseThrow();
    String channel = store.context().keys().signal("jobs");
    TaskSignals.Subscription a = signals.subscribe("jobs", () -> { });
    TaskSignals.Subscription b = signals.subscribe("jobs", () -> { });
    assertThat(subscribers(store, channel)).as("one connection listens for both").isEqualTo(1);
    a.close();
    assertThat(subscribers(store, channel)).as("a listener is left").isEqualTo(1);
    b.close();
    assertThat(subscribers(store, channel)).as("after the last listener left").isZero();
    TaskSignals.Subscription c = signals.subscribe("jobs", () -> { });
    assertThat(subscribers(store, channel)).as("subscribed again").isEqualTo(1);
    c.close();
  }

  @Test
  void aStoreBuiltWithoutSignalsHasNoneAndPublishesNothing() {
    RedisStore loud = (RedisStore) open();
    RedisStore quiet = RedisHarness.INSTANCE.builder(new ManualTime())
        .keyPrefix(loud.context().keys().prefix()).taskSignals(false).trustEmptyServer().build();
    try {
      TaskStore tasks = quiet.tasks().orElseThrow();
      assertThat(tasks.signals()).isEmpty();
      AtomicInteger heard = new AtomicInteger();
      try (TaskSignals.Subscription s = loud.tasks().orElseThrow().signals().orElseThrow()
          .subscribe("jobs", heard::incrementAndGet)) {
        tasks.submit("jobs", TaskSpec.of("quiet", ""));
        loud.tasks().orElseThrow().submit("jobs", TaskSpec.of("loud", ""));
        Await.until("the listening store hears its own submit", () -> heard.get() >= 1);
        // one channel, messages in the order of the writes: the quiet one would have come first
        assertThat(heard.get()).as("signals of both submits").isEqualTo(1);
      }
    } finally {
      quiet.close();
    }
  }

  private static long subscribers(RedisStore store, String channel) {
    Map<String, Long> counts = store.context().link().await(
        store.context().link().commands().pubsubShardNumsub(channel), "shardnumsub");
    return counts.getOrDefault(channel, 0L);
  }
}
