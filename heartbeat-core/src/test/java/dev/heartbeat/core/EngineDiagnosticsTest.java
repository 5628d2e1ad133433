package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.CallStats;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.FaultyStore;
import dev.heartbeat.tck.ForwardingStore;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Diagnostics and logs that tell the truth, on the in-memory store. */
class EngineDiagnosticsTest {
  private final ManualTime time = new ManualTime();
  private final MemoryStore store = new MemoryStore(time, 100);

  /**
   * One outage, one WARN and one INFO: the late answer of a beat abandoned during the outage is
   * not a recovery, even when it succeeds.
   */
  @Test
  void aLateAnswerToAnAbandonedBeatIsNotARecovery() {
    FaultyStore link = new FaultyStore(store);
    try (Heartbeats hb = Heartbeats.builder().store(link).time(time).holderId("a")
        .closeTimeout(Duration.ofSeconds(1)).build()) {
      AgentScheduler scheduler = ((Engine) hb).agents();
      HeartbeatAgent agent = hb.agent("w").interval(Duration.ofSeconds(5)).start();
      Await.until("registered", () -> agent.diagnostics().beats().succeeded() == 1);

      link.hang(); // the outage starts: the next beat hangs
      int sent = link.calls();
      time.advance(Duration.ofSeconds(5));
      Await.until("the beat is sent and hangs", () -> link.calls() > sent);
      time.advance(Duration.ofSeconds(5));
      Await.until("abandoned", () -> agent.diagnostics().beats().failed() >= 1);
      assertThat(scheduler.outagesLogged()).isEqualTo(1);

      // the abandoned beat gets through late; the store stays unreachable for new calls
      link.heal();
      link.fail();
      Await.until("the late answer arrived", () -> store.agent("w").orElseThrow().sequence() >= 2);
      for (int i = 0; i < 12; i++) {
        long failed = agent.diagnostics().beats().failed();
        time.advance(Duration.ofSeconds(5));
        Await.until("a failed retry", () -> agent.diagnostics().beats().failed() > failed
            || agent.diagnostics().nextBeatDue().isAfter(time.instant()));
      }
      assertThat(agent.diagnostics().beats().failed()).isGreaterThanOrEqualTo(3);
      assertThat(scheduler.recoveriesLogged()).as("no recovery during the outage").isZero();
      assertThat(scheduler.outagesLogged()).as("one WARN per outage").isEqualTo(1);

      link.heal(); // the outage ends
      long ok = agent.diagnostics().beats().succeeded();
      for (int i = 0; i < 5 && agent.diagnostics().beats().succeeded() == ok; i++) {
        time.advance(Duration.ofSeconds(5));
        Await.until("a round", () -> agent.diagnostics().beats().succeeded() > ok
            || agent.diagnostics().nextBeatDue().isAfter(time.instant()));
      }
      Await.until("recovered", () -> agent.diagnostics().beats().succeeded() > ok);
      assertThat(scheduler.recoveriesLogged()).as("one INFO per outage").isEqualTo(1);
      assertThat(scheduler.outagesLogged()).isEqualTo(1);
    }
  }

  /** Every call through it takes {@code latency} of the test's clock. */
  private static final class SlowStore extends ForwardingStore {
    private final ManualTime time;
    volatile Duration latency = Duration.ZERO;

    SlowStore(MemoryStore store, ManualTime time) {
      super(store);
      this.time = time;
    }

    @Override
    protected <T> T around(String operation, Supplier<T> call) {
      time.advance(latency);
      return call.get();
    }
  }

  @Test
  void beatLatencyIsMeasuredOnTheEnginesClock() {
    SlowStore slow = new SlowStore(store, time);
    slow.latency = Duration.ofMillis(800);
    try (Heartbeats hb = Heartbeats.builder().store(slow).time(time).holderId("a").build()) {
      HeartbeatAgent agent = hb.agent("w").interval(Duration.ofSeconds(5)).start();
      Await.until("registered", () -> agent.diagnostics().beats().succeeded() == 1);
      CallStats first = agent.diagnostics().beats();
      assertThat(first.lastLatency()).isEqualTo(Duration.ofMillis(800));
      assertThat(first.maxLatency()).isEqualTo(Duration.ofMillis(800));
      assertThat(first.meanLatency()).isEqualTo(Duration.ofMillis(800));

      slow.latency = Duration.ZERO;
      time.advance(Duration.ofSeconds(5));
      Await.until("a background beat", () -> agent.diagnostics().beats().succeeded() == 2);
      CallStats second = agent.diagnostics().beats();
      assertThat(second.lastLatency()).isEqualTo(Duration.ZERO);
      assertThat(second.maxLatency()).isEqualTo(Duration.ofMillis(800));
      assertThat(second.meanLatency()).isEqualTo(Duration.ofMillis(700));

      slow.latency = Duration.ofMillis(1500);
      agent.beat();
      assertThat(agent.diagnostics().beats().lastLatency()).as("a one-shot beat too")
          .isEqualTo(Duration.ofMillis(1500));
      assertThat(agent.diagnostics().beats().maxLatency()).isEqualTo(Duration.ofMillis(1500));
    }
  }
}
