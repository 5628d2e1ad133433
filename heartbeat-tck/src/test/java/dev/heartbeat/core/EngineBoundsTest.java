package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.Leadership;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.ElectionRecorder;
import dev.heartbeat.tck.FaultyStore;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
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
      run(hb, 60);
      Await.until("beats again", () -> a1.diagnostics().beats().succeeded() > ok);
      Await.until("leads again", lead::isLeader);
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
        int parked = time.parkedThreads();
        Thread reader = Thread.ofVirtual().start(() -> {
          try {
            hb.registry().agents();
          } catch (Throwable e) {
            thrown.set(e);
          }
        });
        Await.until("the reader waits", () -> time.parkedThreads() > parked);
        time.advance(Duration.ofSeconds(2));
        reader.join();
        assertThat(thrown.get()).isInstanceOf(HeartbeatStoreException.class)
            .hasMessageContaining("no answer within PT2S");
      }
      assertThat(link.calls() - before).as("reads sent to the hanging store").isEqualTo(1);
      link.heal();
      Await.until("the read returns", () -> hb.ticker().storeCallsRunning() == 0);
      assertThat(hb.registry().agents()).isEmpty();
    }
  }
}
