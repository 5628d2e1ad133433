package dev.heartbeat.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.Lease;
import dev.heartbeat.LeaseConfig;
import dev.heartbeat.Leadership;
import dev.heartbeat.spi.LeaseRenewal;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.ElectionRecorder;
import dev.heartbeat.tck.FaultyStore;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A non-persistent Redis that restarts loses every key. On a private server that the test kills
 * and restarts: the store refuses every acquisition for one maximum TTL after it notices the
 * loss (and on its first start, which it cannot tell from a loss), tokens issued afterwards
 * exceed every earlier one, Lettuce reconnects and the scripts are loaded again, and a leader
 * cut off across the loss has stepped down before anyone else is elected.
 */
class RedisDataLossTest {
  private static final Duration MAX_TTL = Duration.ofSeconds(60);
  private static final Duration TTL = Duration.ofSeconds(15);

  private final ManualTime time = new ManualTime();
  private RedisServer server;
  private RedisStore store;

  @BeforeEach
  void startServer() {
    server = RedisServer.start();
    store = RedisStore.builder(server.uri()).keyPrefix("loss").maxLeaseTtl(MAX_TTL)
        .commandTimeout(Duration.ofSeconds(2)).clockOffset(time::elapsed).build();
  }

  @AfterEach
  void stopServer() {
    store.close();
    server.close();
  }

  @Test
  void noLeaseIsHandedOutForOneMaxTtlAfterALossAndTokensKeepGrowing() {
    assertThat(store.tryAcquire("leader", "a", TTL)).as("first start: quarantined").isEmpty();
    time.advance(MAX_TTL);
    Lease a = store.tryAcquire("leader", "a", TTL).orElseThrow();

    server.restart();
    Optional<Lease> renewed = answer(() -> store.renew("leader", "a", a.token(), TTL));
    assertThat(renewed).as("the lost lease is not renewed").isEmpty();
    assertThat(store.tryAcquire("leader", "b", TTL)).as("quarantine after the loss").isEmpty();
    time.advance(MAX_TTL.minusSeconds(1));
    assertThat(store.tryAcquire("leader", "b", TTL)).as("one second before its end").isEmpty();
    time.advance(Duration.ofSeconds(1));
    Lease b = store.tryAcquire("leader", "b", TTL).orElseThrow();
    assertThat(b.token()).as("tokens never go back").isGreaterThan(a.token());
    assertThat(b.transitions()).as("transition counts restart").isEqualTo(1);

    server.restart();
    List<Optional<Lease>> batch = answer(() ->
        store.renewAll(List.of(new LeaseRenewal("leader", "b", b.token(), TTL))));
    assertThat(batch).as("batch after the restart: reconnected, scripts reloaded")
        .containsExactly(Optional.empty());
    time.advance(MAX_TTL);
    Lease c = store.tryAcquire("leader", "c", TTL).orElseThrow();
    assertThat(c.token()).isGreaterThan(b.token());
  }

  @Test
  void aLeaderCutOffAcrossTheLossStepsDownBeforeAnotherIsElected() {
    assertThat(store.tryAcquire("warm-up", "x", TTL)).as("first start: quarantined").isEmpty();
    time.advance(MAX_TTL);
    LeaseConfig config = LeaseConfig.ofTtl(TTL);
    FaultyStore linkA = new FaultyStore(store);
    ElectionRecorder eventsA = new ElectionRecorder(time);
    ElectionRecorder eventsB = new ElectionRecorder(time);
    try (Heartbeats a = engine(linkA, "a", config); Heartbeats b = engine(store, "b", config)) {
      Leadership leaderA = a.leases().elect("leader", eventsA);
      Await.until("a elected", leaderA::isLeader);
      long token = leaderA.lease().orElseThrow().token();
      linkA.fail();
      server.restart();
      answer(() -> store.now());
      Leadership candidate = b.leases().elect("leader", eventsB);
      for (int step = 0; step < 20 && eventsB.elections() == 0; step++) {
        long calls = candidate.diagnostics().calls().succeeded() + candidate.diagnostics().calls().failed();
        time.advance(config.retryInterval());
        Await.until("b tried", () -> candidate.diagnostics().calls().succeeded()
            + candidate.diagnostics().calls().failed() > calls);
      }
      assertThat(eventsB.elections()).as("b elected after the quarantine").isEqualTo(1);
      assertThat(eventsA.revocations()).isEqualTo(1);
      assertThat(eventsB.events().get(0).at()).as("b elected only after a stepped down")
          .isAfterOrEqualTo(eventsA.last().at());
      assertThat(eventsB.events().get(0).at()).isAfterOrEqualTo(eventsA.events().get(0).at()
          .plus(MAX_TTL));
      assertThat(candidate.lease().orElseThrow().token()).isGreaterThan(token);
      linkA.heal();
    }
  }

  @Test
  void afterATotalLossAProcessWithAShorterMaximumWaitsOutTheLongestTtlItSawGranted() {
    assertThat(store.tryAcquire("leader", "a", MAX_TTL)).as("first start: quarantined").isEmpty();
    time.advance(MAX_TTL);
    Lease held = store.tryAcquire("leader", "a", MAX_TTL).orElseThrow();
    Duration shortMax = Duration.ofSeconds(10);
    try (RedisStore other = RedisStore.builder(server.uri()).keyPrefix("loss").maxLeaseTtl(shortMax)
        .commandTimeout(Duration.ofSeconds(2)).clockOffset(time::elapsed).build()) {
      assertThat(other.tryAcquire("leader", "b", shortMax)).as("held by a for 60 s").isEmpty();
      server.restart(); // empty: the marker and what it knew are gone
      assertThat(answer(() -> other.tryAcquire("leader", "b", shortMax))).isEmpty();
      time.advance(shortMax.multipliedBy(3));
      assertThat(other.now()).isBefore(held.expiresAt());
      assertThat(other.tryAcquire("leader", "b", shortMax))
          .as("it saw a 60 s lease granted: its own 10 s maximum does not end the quarantine")
          .isEmpty();
      time.advance(MAX_TTL);
      assertThat(other.tryAcquire("leader", "b", shortMax)).isPresent();
    }
  }

  @Test
  void aFreshPrefixSkipsOnlyTheFirstQuarantine() {
    try (RedisStore fresh = RedisStore.builder(server.uri()).keyPrefix("fresh").maxLeaseTtl(MAX_TTL)
        .commandTimeout(Duration.ofSeconds(2)).clockOffset(time::elapsed)
        .freshPrefixWithoutQuarantine().build()) {
      Lease a = fresh.tryAcquire("leader", "a", TTL).orElseThrow();
      server.restart();
      assertThat(answer(() -> fresh.tryAcquire("leader", "b", TTL)))
          .as("a later loss quarantines as usual").isEmpty();
      time.advance(MAX_TTL);
      assertThat(fresh.tryAcquire("leader", "b", TTL).orElseThrow().token())
          .isGreaterThan(a.token());
    }
  }

  private Heartbeats engine(dev.heartbeat.spi.HeartbeatStore link, String holder, LeaseConfig config) {
    return Heartbeats.builder().store(link).time(time).holderId(holder).leaseDefaults(config)
        .closeTimeout(Duration.ofSeconds(5)).build();
  }

  /** The first answer once the client has reconnected (a bounded wait for an outcome). */
  private static <T> T answer(Supplier<T> call) {
    AtomicReference<T> out = new AtomicReference<>();
    Await.until("an answer after the restart", () -> {
      try {
        out.set(call.get());
        return true;
      } catch (dev.heartbeat.HeartbeatStoreException e) {
        return false;
      }
    }, Duration.ofSeconds(30));
    return out.get();
  }
}
