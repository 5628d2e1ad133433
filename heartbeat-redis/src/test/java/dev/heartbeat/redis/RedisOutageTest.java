package dev.heartbeat.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.Lease;
import dev.heartbeat.LeaseConfig;
import dev.heartbeat.Leadership;
import dev.heartbeat.RevokeReason;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.ElectionRecorder;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Outages of a private Redis under the engine: frozen (SIGSTOP: calls hang until the command
 * timeout ends them) and killed then restarted (connection refused, then Lettuce reconnects).
 * Beats fail, are counted and recover by themselves; a leader that cannot renew steps down
 * before its lease expires in the store.
 */
class RedisOutageTest {
  private static final Duration INTERVAL = Duration.ofSeconds(5);
  private static final LeaseConfig LEASE = LeaseConfig.ofTtl(Duration.ofSeconds(15));

  private final ManualTime time = new ManualTime();
  private RedisServer server;
  private RedisStore store;
  private Heartbeats hb;

  @BeforeEach
  void start() {
    server = RedisServer.start();
    store = RedisStore.builder(server.uri()).keyPrefix("outage")
        .commandTimeout(Duration.ofSeconds(1)).clockOffset(time::elapsed).trustEmptyServer().build();
    hb = Heartbeats.builder().store(store).time(time).holderId("a").leaseDefaults(LEASE)
        .closeTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stop() {
    server.resume();
    hb.close();
    store.close();
    server.close();
  }

  @Test
  void beatsToAFrozenRedisFailAreCountedAndRecover() {
    HeartbeatAgent agent = hb.agent("worker").interval(INTERVAL).start();
    Await.until("registered", () -> agent.diagnostics().beats().succeeded() == 1);

    server.pause();
    time.advance(INTERVAL);
    Await.until("a failed beat", () -> agent.diagnostics().beats().failed() >= 1);
    assertThat(agent.diagnostics().beats().lastError()).contains("record");

    server.resume();
    recover(agent, 1);
    assertThat(store.agent("worker")).get().extracting(h -> h.incarnation())
        .isEqualTo(agent.incarnation());
  }

  @Test
  void beatsToAKilledRedisFailAndRecoverAfterItRestartsEmpty() {
    HeartbeatAgent agent = hb.agent("worker").interval(INTERVAL).start();
    Await.until("registered", () -> agent.diagnostics().beats().succeeded() == 1);

    server.kill();
    time.advance(INTERVAL);
    Await.until("a failed beat", () -> agent.diagnostics().beats().failed() >= 1);

    server.restart();
    recover(agent, 1);
    assertThat(store.agent("worker")).as("registered again on the empty server").isPresent();
  }

  @Test
  void aLeaderThatCannotRenewStepsDownBeforeItsLeaseExpires() {
    ElectionRecorder events = new ElectionRecorder(time);
    Leadership leader = hb.leases().elect("leader", events);
    Await.until("elected", leader::isLeader);
    Lease held = leader.lease().orElseThrow();

    server.pause();
    long failed = leader.diagnostics().calls().failed();
    time.advance(LEASE.renewInterval());
    Await.until("the renewal failed", () -> leader.diagnostics().calls().failed() > failed);
    time.advance(LEASE.renewDeadline().minus(LEASE.renewInterval()));
    Await.until("revoked", () -> events.revocations() == 1);
    assertThat(events.last().reason()).isEqualTo(RevokeReason.DEADLINE_PASSED);

    server.resume();
    Lease stored = store.lease("leader").orElseThrow();
    assertThat(stored.token()).isEqualTo(held.token());
    assertThat(stored.expiredAt(store.now())).as("stepped down before the store expired it").isFalse();
  }

  @Test
  void theFeedFollowsBeatsAgainAfterRedisRestartsEmpty() {
    java.util.List<dev.heartbeat.Heartbeat> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (RedisHeartbeatFeed feed = RedisHeartbeatFeed.start(store, "monitor", "m1", seen::add)) {
      store.register(dev.heartbeat.tck.Beats.plain("worker", 1));
      Await.until("the first beat", () -> seen.size() == 1);
      server.restart();
      long[] sequence = {1}; // each try a newer beat: a repeated one would be stale, not fed
      Await.until("a beat through the feed after the restart", () -> {
        try {
          store.register(dev.heartbeat.tck.Beats.plain("worker", ++sequence[0]));
        } catch (dev.heartbeat.HeartbeatStoreException e) {
          return false;
        }
        return seen.stream().anyMatch(h -> h.sequence() >= 2);
      }, Duration.ofSeconds(30));
    }
  }

  /**
   * Waits until the client has reconnected (Lettuce does so on its own, in real time), then
   * moves time a beat interval at a time until the agent beats again (bounded).
   */
  private void recover(HeartbeatAgent agent, long before) {
    Await.until("reconnected", () -> {
      try {
        store.now();
        return true;
      } catch (dev.heartbeat.HeartbeatStoreException e) {
        return false;
      }
    }, Duration.ofSeconds(30));
    for (int i = 0; i < 10 && agent.diagnostics().beats().succeeded() <= before; i++) {
      long calls = agent.diagnostics().beats().succeeded() + agent.diagnostics().beats().failed();
      time.advance(INTERVAL.multipliedBy(4));
      Await.until("another beat", () -> agent.diagnostics().beats().succeeded()
          + agent.diagnostics().beats().failed() > calls);
    }
    assertThat(agent.diagnostics().beats().succeeded()).as("recovered").isGreaterThan(before);
    assertThat(agent.diagnostics().beats().consecutiveFailures()).isZero();
  }
}
