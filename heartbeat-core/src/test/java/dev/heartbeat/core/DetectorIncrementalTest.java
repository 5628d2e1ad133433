package dev.heartbeat.core;

import static dev.heartbeat.tck.Beats.plain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentState;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.spi.AgentChanges;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.ChangeCursor;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.ForwardingStore;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The detector reads what changed: an incremental read of the store four times a poll, and a full
 * read only once every {@value DetectorImpl#FULL_READ_EVERY} polls as a safety net; it still sees every
 * beat, leave and forget, and the full read finds what an incremental read lost.
 */
class DetectorIncrementalTest {
  private static final DetectorConfig CONFIG = DetectorConfig.DEFAULTS;

  /** Counts the store's reads; can be told to lose every forget in its incremental answers. */
  static final class CountingStore extends ForwardingStore {
    final AtomicLong full = new AtomicLong();
    final AtomicLong incremental = new AtomicLong();
    volatile boolean loseForgets;

    CountingStore(HeartbeatStore store) {
      super(store);
    }

    @Override
    public List<dev.heartbeat.Heartbeat> agents() {
      full.incrementAndGet();
      return store.agents();
    }

    @Override
    public AgentChanges agentsChangedSince(ChangeCursor cursor) {
      incremental.incrementAndGet();
      AgentChanges answer = store.agentsChangedSince(cursor);
      return loseForgets ? new AgentChanges(answer.changed(), List.of(), answer.complete(),
          answer.next()) : answer;
    }
  }

  private final ManualTime time = new ManualTime();
  private final CountingStore store = new CountingStore(new MemoryStore(time, 10));
  private final DetectorImpl detector = new DetectorImpl(CONFIG, time, "memory:",
      DetectorRig.reads(store), Runnable::run, null, new ChangeListeners(Runnable::run));
  private long seq;

  /** Every agent but the silent ones beats, then a second of time passes and the detector ticks. */
  private void second(List<String> beating) {
    seq++;
    for (String id : beating) {
      if (store.record(plain(id, seq)).isEmpty()) {
        store.register(plain(id, seq));
      }
    }
    for (int quarter = 0; quarter < 4; quarter++) { // the ticker wakes for each read due
      time.advance(Duration.ofMillis(250));
      detector.tick(time.nanoTime());
    }
  }

  @Test
  void itReadsWhatChangedFourTimesAPollAndEveryAgentOnceEveryThirtyPolls() {
    for (int s = 0; s < 300; s++) {
      second(List.of("a", "b", "c"));
    }
    long reads = detector.reads();
    assertThat(reads).as("a quarter poll apart once the answers are incremental")
        .isBetween(300L * DetectorImpl.READS_PER_POLL - 5, 300L * DetectorImpl.READS_PER_POLL);
    assertThat(store.full.get()).as("full reads: one every 30 s").isBetween(9L, 10L);
    assertThat(store.incremental.get()).as("incremental reads")
        .isEqualTo(reads - store.full.get());
    assertThat(detector.fullReads()).as("the first incremental answer is complete too")
        .isEqualTo(store.full.get() + 1);
    assertThat(detector.states()).containsOnlyKeys("a", "b", "c")
        .containsValues(AgentState.ALIVE);
  }

  @Test
  void incrementalReadsSeeASilenceALeaveAndAForget() {
    for (int s = 0; s < 45; s++) { // the next full read is due at 60 s
      second(List.of("a", "b", "c", "d"));
    }
    store.record(new Beat("c", "inc-1", ++seq, Optional.empty(), AgentStatus.LEFT,
        OptionalDouble.of(0), Optional.empty(), false, Optional.of(Duration.ofMillis(500))));
    store.forget("d");
    long fullBefore = store.full.get();
    second(List.of("a", "b"));
    second(List.of("a", "b"));
    assertThat(store.full.get()).as("seen without a full read").isEqualTo(fullBefore);
    assertThat(detector.states()).containsOnlyKeys("a", "b", "c");
    assertThat(detector.states().get("c")).isEqualTo(AgentState.LEFT);
    for (int s = 0; s < 120 && detector.states().get("b") != AgentState.DEAD; s++) {
      second(List.of("a"));
    }
    assertThat(detector.states().get("b")).as("silent b").isEqualTo(AgentState.DEAD);
    assertThat(detector.states().get("a")).isEqualTo(AgentState.ALIVE);
  }

  @Test
  void aForgetAnIncrementalReadLostIsFoundByTheNextFullRead() {
    for (int s = 0; s < 10; s++) {
      second(List.of("a", "b"));
    }
    store.loseForgets = true;
    store.forget("b");
    second(List.of("a"));
    assertThat(detector.states()).as("the incremental read lost it").containsKey("b");
    long fullBefore = store.full.get();
    for (int s = 0; s < DetectorImpl.FULL_READ_EVERY && store.full.get() == fullBefore; s++) {
      second(List.of("a"));
    }
    assertThat(store.full.get()).isEqualTo(fullBefore + 1);
    assertThat(detector.states()).containsOnlyKeys("a");
  }
}
