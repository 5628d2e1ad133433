package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentChange.Kind;
import dev.heartbeat.AgentChange.Recovery;
import dev.heartbeat.AgentState;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.spi.HeartbeatFeed;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The detector on a store with a live feed: beats pushed by the feed count as arrivals at once,
 * the store is read five times less often, and polling still covers what the feed misses. The
 * feed is a small in-test one that pushes what the test recorded in the real memory store.
 */
class DetectorFeedTest {
  private static final DetectorConfig CONFIG = DetectorConfig.DEFAULTS;
  private static final long S = 1_000_000_000L;

  /** Pushes the beats the test hands it, like a store's stream would. */
  static final class TestFeed implements HeartbeatFeed {
    private Consumer<Heartbeat> listener;
    boolean closed;

    @Override
    public void subscribe(Consumer<Heartbeat> newListener) {
      if (listener != null || closed) {
        throw new IllegalStateException("feed already subscribed or closed");
      }
      listener = newListener;
    }

    void push(Heartbeat beat) {
      if (listener != null && !closed) {
        listener.accept(beat);
      }
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void feedBeatsKeepAgentsAliveWhileTheStoreIsReadFiveTimesLessOften() {
    TestFeed feed = new TestFeed();
    DetectorRig rig = new DetectorRig(CONFIG, feed);
    Random random = new Random(3);
    for (int i = 0; i < 5; i++) {
      rig.agent("a" + i, () -> 5 * S + random.nextLong(1000) * 1_000_000 - 500_000_000)
          .onStored = feed::push;
    }
    rig.run(Duration.ofMinutes(2));
    assertThat(rig.changes).isEmpty();
    assertThat(rig.detector.states().values()).hasSize(5).containsOnly(AgentState.ALIVE);
    assertThat(rig.detector.reads()).as("one read per 5 s, not per second").isBetween(23L, 26L);
    assertThatThrownBy(() -> feed.subscribe(h -> { })).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aBeatFromTheFeedRecoversASuspectAtOnceWithoutWaitingForARead() {
    TestFeed feed = new TestFeed();
    DetectorRig rig = new DetectorRig(CONFIG, feed);
    DetectorRig.Sim agent = rig.agent("a", () -> 5 * S);
    agent.onStored = feed::push;
    rig.run(Duration.ofMinutes(1));
    agent.crashed = true;
    while (rig.state("a") != AgentState.SUSPECT) {
      rig.run(DetectorRig.STEP);
    }
    long reads = rig.detector.reads();
    agent.beat(); // recorded in the store and pushed by the feed; no tick, no read
    assertThat(rig.detector.reads()).isEqualTo(reads);
    assertThat(rig.changesOf("a")).extracting(AgentChange::kind, AgentChange::recovery)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.SUSPECTED, null),
            org.assertj.core.groups.Tuple.tuple(Kind.RECOVERED, Recovery.FALSE_ALARM));
  }

  @Test
  void whenTheFeedMissesBeatsTheSlowerPollingStillSeesThem() {
    TestFeed feed = new TestFeed();
    DetectorRig rig = new DetectorRig(CONFIG, feed);
    Random random = new Random(5);
    for (int i = 0; i < 5; i++) {
      rig.agent("a" + i, () -> 5 * S + random.nextLong(1000) * 1_000_000 - 500_000_000);
    }
    DetectorRig.Sim gone = rig.agent("gone", () -> 5 * S);
    rig.run(Duration.ofMinutes(5));
    assertThat(rig.changes).as("nothing pushed, all seen by polling").isEmpty();

    gone.crashed = true;
    rig.run(CONFIG.worstCaseDetection().plus(Duration.ofSeconds(5)));
    assertThat(rig.changes).extracting(AgentChange::agentId).containsOnly("gone");
    assertThat(rig.state("gone")).isEqualTo(AgentState.DEAD);
  }

  @Test
  void aBurstOfFedBeatsPublishesTheStatesOnceNotOncePerBeat() {
    TestFeed feed = new TestFeed();
    ManualTime time = new ManualTime();
    MemoryStore store = new MemoryStore(time, 100);
    java.util.ArrayDeque<Runnable> ticker = new java.util.ArrayDeque<>(); // drained in order
    DetectorImpl detector = new DetectorImpl(CONFIG, time, "memory:",
        DetectorRig.reads(store), ticker::add, feed, new ChangeListeners(Runnable::run));
    long before = detector.core().publishes();
    for (int i = 0; i < 1000; i++) { // a burst: the feed's thread queues them all at once
      feed.push(new Heartbeat("a" + i, "inc", 1, java.util.Optional.empty(),
          dev.heartbeat.AgentStatus.IDLE, java.util.OptionalDouble.empty(),
          java.util.Optional.empty(), java.util.Optional.empty(), store.now(),
          java.util.Optional.empty()));
    }
    while (!ticker.isEmpty()) {
      ticker.poll().run();
    }
    assertThat(detector.states()).hasSize(1000);
    assertThat(detector.core().publishes() - before).as("a copy of 1,000 states per beat is"
        + " quadratic in a burst").isEqualTo(1);
  }

  @Test
  void closingTheDetectorClosesItsFeed() {
    TestFeed feed = new TestFeed();
    DetectorRig rig = new DetectorRig(CONFIG, feed);
    rig.detector.close();
    assertThat(feed.closed).isTrue();
  }
}
