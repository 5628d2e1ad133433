package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.Leadership;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.ElectionRecorder;
import dev.heartbeat.tck.FaultyStore;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Every thread, queue and retry of the engine has a bound, also while the store hangs. */
class EngineBoundsTest {
  private final ManualTime time = new ManualTime();
  private final MemoryStore store = new MemoryStore(time, 100);

  /** Moves time one second at a time for {@code seconds}, waiting for the ticker's round each. */
  private void run(Heartbeats hb, int seconds) {
    for (int i = 0; i < seconds; i++) {
      long ticks = hb.ticker().ticks();
      time.advance(Duration.ofSeconds(1));
      Await.until("the ticker's round after " + time.elapsed(), () -> hb.ticker().ticks() > ticks);
    }
  }

  /**
   * Two agents, one election and the detector against a store that hangs for 30 minutes: no call
   * is sent again while the abandoned call of its kind still runs, so the calls stuck in the
   * store stay a handful (it was 435 before), and they are shown in the diagnostics.
   */
  @Test
  void aHangingStoreHoldsAHandfulOfCallsNotOnePerRetry() {
    FaultyStore link = new FaultyStore(store);
    try (Heartbeats hb = Heartbeats.builder().store(link).time(time).holderId("a")
        .closeTimeout(Duration.ofSeconds(1)).build()) {
      HeartbeatAgent a1 = hb.agent("a1").interval(Duration.ofSeconds(5)).start();
      HeartbeatAgent a2 = hb.agent("a2").interval(Duration.ofSeconds(5)).start();
      Leadership lead = hb.leases().elect("l", new ElectionRecorder(time));
      hb.detector();
      Await.until("healthy", () -> lead.isLeader() && a1.diagnostics().beats().succeeded() >= 1
          && a2.diagnostics().beats().succeeded() >= 1);
      run(hb, 10);

      link.hang();
      int before = link.calls();
      run(hb, 30 * 60);
      int stuck = link.calls() - before;
      assertThat(stuck).as("calls stuck in the hanging store after 30 minutes").isLessThanOrEqualTo(8);
      assertThat(hb.ticker().storeCallsRunning()).as("shown in the diagnostics")
          .isEqualTo(stuck);
      assertThat(a1.diagnostics().ticker().storeCallsRefused()).as("retries held back")
          .isGreaterThan(100);
      assertThat(a1.diagnostics().beats().consecutiveFailures()).as("retries still fail")
          .isGreaterThan(10);

      link.heal();
      long ok = a1.diagnostics().beats().succeeded();
      // a second at a time until both recovered: the election's backoff after half an hour of
      // failures, and a call abandoned before the heal, may put its next attempt a while off
      for (int s = 0; s < 300 && !(lead.isLeader() && a1.diagnostics().beats().succeeded() > ok);
          s++) {
        run(hb, 1);
      }
      assertThat(a1.diagnostics().beats().succeeded()).as("beats again").isGreaterThan(ok);
      assertThat(lead.isLeader()).as("leads again").isTrue();
    }
  }

  /**
   * Many agents started at once against a hanging store: registrations go one call per agent, and
   * at most {@link AgentScheduler#MAX_REGISTERING} of them are on their way at a time (before,
   * 100,000 agents started at once sent 100,000 calls, which queued 55,000 deep for a pool of 8
   * and timed out); once the store answers, every agent registers and beats.
   */
  @Test
  void registrationsOnTheirWayAreBoundedHoweverManyAgentsStart() {
    FaultyStore link = new FaultyStore(store);
    try (Heartbeats hb = Heartbeats.builder().store(link).time(time).holderId("a")
        .closeTimeout(Duration.ofSeconds(1)).build()) {
      hb.detector(); // it reads every second: a ticker round every second
      run(hb, 2);
      link.hang();
      int before = link.calls();
      java.util.List<HeartbeatAgent> agents = new java.util.ArrayList<>();
      for (int i = 0; i < 500; i++) {
        agents.add(hb.agent("agent-" + i).interval(Duration.ofSeconds(5)).start());
      }
      run(hb, 15); // three intervals: the first registrations are abandoned, not sent again
      assertThat(link.calls() - before).as("calls sent to the hanging store: registrations and"
          + " the detector's one read").isLessThanOrEqualTo(AgentScheduler.MAX_REGISTERING + 1);

      link.heal();
      for (int s = 0; s < 300
          && !agents.stream().allMatch(a -> a.diagnostics().beats().succeeded() >= 2); s++) {
        run(hb, 1);
      }
      assertThat(store.agents()).as("every agent registered once the store answers").hasSize(500);
      assertThat(agents).allSatisfy(a -> assertThat(a.diagnostics().beats().succeeded())
          .as(a.id()).isGreaterThanOrEqualTo(2));
    }
  }

  /** Registry readers against a hanging store share the one read on its way, however old. */
  @Test
  void registryReadersShareTheOneHangingRead() throws Exception {
    FaultyStore link = new FaultyStore(store);
    try (Heartbeats hb = Heartbeats.builder().store(link).time(time).holderId("a")
        .callTimeout(Duration.ofSeconds(2)).closeTimeout(Duration.ofSeconds(1)).build()) {
      link.hang();
      int before = link.calls();
      for (int i = 0; i < 20; i++) {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread reader = Thread.ofVirtual().start(() -> {
          try {
            hb.registry().agents();
          } catch (Throwable e) {
            thrown.set(e);
          }
        });
        long bound = System.nanoTime() + Await.DEFAULT.toNanos();
        while (reader.isAlive() && System.nanoTime() - bound < 0) {
          time.advance(Duration.ofMillis(500)); // until it gives up, however late it parked
          reader.join(Duration.ofMillis(5));
        }
        assertThat(reader.isAlive()).as("the reader gave up").isFalse();
        assertThat(thrown.get()).isInstanceOf(HeartbeatStoreException.class)
            .hasMessageContaining("no answer within PT2S");
        time.advance(Duration.ofSeconds(1)); // the next reader comes after the snapshot's age
      }
      assertThat(link.calls() - before).as("reads sent to the hanging store").isEqualTo(1);
      link.heal();
      Await.until("the read returns", () -> hb.ticker().storeCallsRunning() == 0);
      assertThat(hb.registry().agents()).isEmpty();
    }
  }

  /**
   * A live feed that floods a ticker that cannot keep up: what does not fit in the notice queue
   * is dropped and counted (the detector's polling reads those beats anyway), while the answer of
   * a store call that arrives meanwhile is never lost.
   */
  @Test
  void aFloodingFeedIsDroppedAndCountedButNoAnswerIsLost() throws Exception {
    FeedingStore feeding = new FeedingStore(store);
    EngineStaleBeatTest.HeldBatches link = new EngineStaleBeatTest.HeldBatches(feeding);
    try (Heartbeats hb = Heartbeats.builder().store(link).time(time).holderId("a")
        .closeTimeout(Duration.ofSeconds(1)).build()) {
      hb.detector();
      FeedingStore.Feed feed = feeding.feeds.get(0);
      HeartbeatAgent agent = hb.agent("w").interval(Duration.ofSeconds(5)).start();
      Await.until("registered", () -> agent.diagnostics().beats().succeeded() == 1);
      link.hold = new CountDownLatch(1);
      time.advance(Duration.ofSeconds(5));
      Await.until("the beat is on its way", () -> link.held.get() == 1);

      CountDownLatch busy = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      ((Engine) hb).tickerLoop().post(() -> {
        busy.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue(); // the ticker is held up
      int flood = Ticker.NOTICE_CAPACITY + 500;
      for (int i = 0; i < flood; i++) {
        feed.push(new Heartbeat("x" + i, "run", 1, Optional.empty(), AgentStatus.IDLE,
            OptionalDouble.empty(), Optional.empty(), Optional.empty(),
            time.instant(), Optional.empty()));
      }
      link.hold.countDown(); // the beat's answer arrives while the ticker is held up
      Await.until("the answer is in", () -> link.held.get() == 1 && hb.ticker().storeCallsRunning() == 0);
      assertThat(hb.ticker().dropped()).as("what did not fit, and the agent's beat the store "
          + "fed when it stored it").isEqualTo(501);

      release.countDown();
      Await.until("the answer applied", () -> agent.diagnostics().beats().succeeded() == 2);
      DetectorImpl detector = ((Engine) hb).detection().detector();
      Await.until("the fed beats seen", () -> detector.states().size() >= Ticker.NOTICE_CAPACITY);
      assertThat(hb.ticker().dropped()).isEqualTo(501);
    }
  }
}
