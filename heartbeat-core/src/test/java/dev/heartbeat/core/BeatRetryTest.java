package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.FaultyStore;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A beat that fails is retried after a fifth of the interval (with jitter, from a tenth), not half
 * an interval or more later, so that one failed write costs the detector about a second of
 * silence, not 2.5-5 s; only past {@link Backoff#QUICK_RETRIES} failures in a row do the attempts
 * back off exponentially from the interval, as before.
 */
class BeatRetryTest {
  private static final Duration INTERVAL = Duration.ofSeconds(5);

  private final ManualTime time = new ManualTime();
  private final MemoryStore store = new MemoryStore(time, 100);

  /**
   * Moves time to the agent's next due beat, waits for its attempt to fail and returns how long
   * after that failure the next attempt is due.
   */
  private Duration failNext(HeartbeatAgent agent) {
    long failed = agent.diagnostics().beats().failed();
    time.advance(Duration.between(time.instant(), agent.diagnostics().nextBeatDue()));
    Await.until("attempt " + (failed + 1) + " failed and the next one planned",
        () -> agent.diagnostics().beats().failed() > failed
            && agent.diagnostics().nextBeatDue().isAfter(time.instant()));
    return Duration.between(time.instant(), agent.diagnostics().nextBeatDue());
  }

  @Test
  void aFailedBeatIsRetriedAfterAFifthOfTheIntervalThenBacksOffFromTheInterval() {
    FaultyStore link = new FaultyStore(store);
    try (Heartbeats hb = Heartbeats.builder().store(link).time(time).holderId("h").build()) {
      HeartbeatAgent agent = hb.agent("a").interval(INTERVAL).start();
      Await.until("registered", () -> agent.diagnostics().beats().succeeded() >= 1
          && agent.diagnostics().nextBeatDue().isAfter(time.instant()));

      link.fail();
      for (int i = 1; i <= Backoff.QUICK_RETRIES; i++) {
        assertThat(failNext(agent)).as("retry after failure " + i)
            .isBetween(INTERVAL.dividedBy(10), INTERVAL.dividedBy(5));
      }
      assertThat(failNext(agent)).as("past the quick retries: half an interval to one")
          .isBetween(INTERVAL.dividedBy(2), INTERVAL);
      assertThat(failNext(agent)).as("then doubling").isBetween(INTERVAL, INTERVAL.multipliedBy(2));

      link.heal();
      long stored = agent.diagnostics().beats().succeeded();
      time.advance(Duration.between(time.instant(), agent.diagnostics().nextBeatDue()));
      Await.until("stored again", () -> agent.diagnostics().beats().succeeded() > stored);
      link.fail();
      assertThat(failNext(agent)).as("a success starts the quick retries afresh")
          .isBetween(INTERVAL.dividedBy(10), INTERVAL.dividedBy(5));
    }
  }
}
