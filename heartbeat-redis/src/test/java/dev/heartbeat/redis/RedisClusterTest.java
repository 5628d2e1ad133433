package dev.heartbeat.redis;

import static dev.heartbeat.tck.Beats.plain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.Lease;
import dev.heartbeat.spi.LeaseRenewal;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.LeaseContract;
import dev.heartbeat.tck.StoreHarness;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store on a real three-master Redis Cluster: the kit's lease contract (every lease script
 * touches one slot), a batch renewal of leases spread over every master in one flush, beats and
 * the feed, whose stream lives in a slot of its own.
 */
class RedisClusterTest extends LeaseContract {
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
    return fixture.harness;
  }

  @Test
  void batchRenewalReachesLeasesInEverySlotOfEveryMaster() {
    RedisStore store = (RedisStore) open();
    List<LeaseRenewal> renewals = new ArrayList<>();
    Set<String> masters = new HashSet<>();
    Set<Integer> slots = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Lease lease = store.tryAcquire("spread-" + i, "a", TTL).orElseThrow();
      renewals.add(new LeaseRenewal(lease.name(), "a", lease.token(), TTL));
      int slot = SlotHash.getSlot(store.context().keys().lease(lease.name()));
      slots.add(slot);
      masters.add(fixture.client.getPartitions().getPartitionBySlot(slot).getNodeId());
    }
    assertThat(masters).as("leases on every master").hasSize(3);
    assertThat(slots).hasSizeGreaterThan(150);
    renewals.set(7, new LeaseRenewal("spread-7", "a", renewals.get(7).token() + 1, TTL));

    time.advance(Duration.ofSeconds(10));
    List<Optional<Lease>> answers = store.renewAll(renewals);
    assertThat(answers).hasSize(200);
    for (int i = 0; i < 200; i++) {
      assertThat(answers.get(i).isPresent()).as("answer %d", i).isEqualTo(i != 7);
    }
    time.advance(Duration.ofSeconds(10));
    assertThat(store.tryAcquire("spread-199", "b", TTL)).as("renewed, still held").isEmpty();
    assertThat(store.tryAcquire("spread-7", "b", TTL)).as("stale token: not renewed, expired")
        .isPresent();
    assertThat(store.leases()).hasSize(200);
  }

  @Test
  void aFreshPrefixElectsAtOnceInEverySlot() {
    try (RedisStore store = fixture.harness.builder(time).freshPrefixWithoutQuarantine().build()) {
      Set<Integer> slots = new HashSet<>();
      for (int i = 0; i < 100; i++) {
        assertThat(store.tryAcquire("fresh-" + i, "a", TTL)).as("fresh-" + i).isPresent();
        slots.add(SlotHash.getSlot(store.context().keys().lease("fresh-" + i)));
      }
      assertThat(slots).hasSizeGreaterThan(90);
    }
  }

  @Test
  void beatsAndTheFeedWorkAcrossSlots() {
    RedisStore store = (RedisStore) open();
    List<Heartbeat> seen = new CopyOnWriteArrayList<>();
    try (RedisHeartbeatFeed feed = RedisHeartbeatFeed.start(store, "monitor", "m1", seen::add)) {
      for (int i = 0; i < 10; i++) {
        store.register(plain("agent-" + i, 1));
      }
      assertThat(store.recordAll(List.of(plain("agent-3", 2), plain("ghost", 2))))
          .extracting(Optional::isPresent).containsExactly(true, false);
      Await.until("eleven beats in the feed", () -> seen.size() == 11);
    }
    assertThat(store.agents()).hasSize(10);
    assertThat(store.history("agent-3", 10)).extracting(Heartbeat::sequence).containsExactly(2L, 1L);
  }
}
