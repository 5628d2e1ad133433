package dev.heartbeat.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.spi.ClaimAnswer;
import dev.heartbeat.spi.ClaimRef;
import dev.heartbeat.spi.ClaimRenewal;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskStore;
import dev.heartbeat.tck.StoreHarness;
import dev.heartbeat.tck.TaskContract;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kit's task contract on a real three-master Redis Cluster (every task script touches the
 * one slot of its queue's hash tag), and a batch renewal of claims in queues spread over every
 * master in one call.
 */
class RedisClusterTaskTest extends TaskContract {
  private static final Duration TTL = Duration.ofSeconds(15);
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
  void batchRenewalReachesClaimsInQueuesOfEveryMaster() {
    RedisStore store = (RedisStore) open();
    TaskStore tasks = store.tasks().orElseThrow();
    List<ClaimRenewal> renewals = new ArrayList<>();
    Set<String> masters = new HashSet<>();
    for (int q = 0; q < 30; q++) {
      String queue = "queue-" + q;
      tasks.submit(queue, TaskSpec.of("a", ""));
      tasks.submit(queue, TaskSpec.of("b", ""));
      for (TaskClaim claim : tasks.claim(queue, "w", "w-1", 2, TTL)) {
        renewals.add(new ClaimRenewal(claim.claim(), TTL));
      }
      int slot = SlotHash.getSlot(store.context().keys().queue(queue));
      masters.add(fixture.client.getPartitions().getPartitionBySlot(slot).getNodeId());
    }
    assertThat(masters).as("queues on every master").hasSize(3);
    assertThat(renewals).hasSize(60);
    ClaimRef stale = renewals.get(7).claim();
    renewals.set(7, new ClaimRenewal(new ClaimRef(stale.queue(), stale.taskId(), "w",
        stale.token() + 1), TTL));

    time.advance(Duration.ofSeconds(10));
    List<ClaimAnswer> answers = tasks.renewClaims(renewals);
    assertThat(answers).hasSize(60);
    for (int i = 0; i < 60; i++) {
      assertThat(answers.get(i).held()).as("answer %d", i).isEqualTo(i != 7);
    }
    time.advance(Duration.ofSeconds(10));
    assertThat(tasks.claim("queue-29", "v", "v-1", 2, TTL)).as("renewed, still held").isEmpty();
    assertThat(tasks.claim(stale.queue(), "v", "v-1", 2, TTL)).as("not renewed, expired")
        .extracting(c -> c.task().id()).containsExactly(stale.taskId());
    assertThat(tasks.counts("queue-0").of(TaskState.IN_PROGRESS)).isEqualTo(2);
  }
}
