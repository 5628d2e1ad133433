package dev.heartbeat.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.TaskSpec;
import dev.heartbeat.spi.TaskSignals;
import dev.heartbeat.spi.TaskStore;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.StoreHarness;
import dev.heartbeat.tck.TaskSignalsContract;
import io.lettuce.core.cluster.SlotHash;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kit's signals contract on a real three-master Redis Cluster (sharded pub/sub: each queue's
 * channel lives on its queue's shard), and listeners of queues on every master hearing their
 * own queue's submit on the store's one pub/sub connection.
 */
class RedisClusterTaskSignalsTest extends TaskSignalsContract {
  private static ClusterFixture fixture;

  @BeforeAll
  static void startCluster() {
    fixture = ClusterFixture.start();
  }

  @AfterAll
  static void stopCluster() {
    ClusterFixture.close(fixture);
  }

  @Override
  protected StoreHarness harness() {
    return fixture.harness.pinned();
  }

  @Test
  void queuesOnEveryMasterHearTheirOwnSubmits() {
    RedisStore store = (RedisStore) open();
    TaskStore tasks = store.tasks().orElseThrow();
    TaskSignals signals = tasks.signals().orElseThrow();
    Set<String> masters = new HashSet<>();
    List<AtomicInteger> heard = new ArrayList<>();
    List<TaskSignals.Subscription> subs = new ArrayList<>();
    try {
      for (int q = 0; q < 12; q++) {
        String queue = "queue-" + q;
        AtomicInteger count = new AtomicInteger();
        heard.add(count);
        subs.add(signals.subscribe(queue, count::incrementAndGet));
        int slot = SlotHash.getSlot(store.context().keys().queue(queue));
        masters.add(fixture.client.getPartitions().getPartitionBySlot(slot).getNodeId());
      }
      assertThat(masters).as("queues on every master").hasSize(3);
      for (int q = 0; q < 12; q++) {
        tasks.submit("queue-" + q, TaskSpec.of("t", ""));
      }
      Await.until("every queue heard its submit", () -> heard.stream().allMatch(c -> c.get() >= 1));
      assertThat(heard).as("one signal each").allMatch(c -> c.get() == 1);
    } finally {
      subs.forEach(TaskSignals.Subscription::close);
    }
  }
}
