package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.AgentChange.Kind;
import dev.heartbeat.AgentChange.Recovery;
import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentState;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.AgentView;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.StallDetector;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.FaultyStore;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The detector through the real engine: real agents of one {@link Heartbeats} beat into a
 * memory store, another {@link Heartbeats} watches them. Time moves one poll interval at a time,
 * and after each move the test waits for the watcher's read of that round.
 */
class DetectorEngineTest {
  private final ManualTime time = new ManualTime();
  private final MemoryStore store = new MemoryStore(time, 100);
  private final List<Heartbeats> engines = new ArrayList<>();

  private Heartbeats engine(String holder, HeartbeatStore through) {
    Heartbeats hb = Heartbeats.builder().store(through).time(time).holderId(holder)
        .closeTimeout(Duration.ofSeconds(2)).build();
    engines.add(hb);
    return hb;
  }

  @AfterEach
  void close() {
    engines.reversed().forEach(Heartbeats::close);
  }

  /** Moves time one second and waits for the watcher's read of that round. */
  private void second(DetectorImpl watcher) {
    // every engine's beats of the last round are stored (or failed) before the clock moves on:
    // a beat still on its way under load would make the watcher see an age it never had
    Await.until("every ticker waits on the clock at " + time.elapsed(), () -> engines.stream()
        .allMatch(this::quiet));
    long reads = watcher.reads();
    time.advance(Duration.ofSeconds(1));
    Await.until("the detector's read after " + time.elapsed(), () -> watcher.reads() > reads);
  }

  private boolean quiet(Heartbeats hb) {
    Ticker ticker = ((Engine) hb).tickerLoop();
    Thread thread = ticker.thread();
    return thread == null || !thread.isAlive() || time.isParked(thread) && ticker.nothingPosted()
        && ((Engine) hb).calls().running() == 0;
  }

  private int secondsUntil(DetectorImpl watcher, StallDetector detector, AgentState state,
      int limit) {
    int seconds = 0;
    while (detector.state("w1").orElse(null) != state && seconds < limit) {
      second(watcher);
      seconds++;
    }
    return seconds;
  }

  @Test
  void aRealAgentIsAliveThenDeadThenAFalseAlarmThenLeftNeverDead() {
    FaultyStore link = new FaultyStore(store);
    Heartbeats worker = engine("worker", link);
    Heartbeats watcher = engine("watcher", store);
    StallDetector detector = watcher.detector();
    List<AgentChange> changes = new CopyOnWriteArrayList<>();
    detector.onChange(c -> {
      throw new IllegalStateException("a listener bug");
    });
    detector.onChange(changes::add);
    DetectorImpl impl = ((Engine) watcher).detection().detector();
    HeartbeatAgent agent = worker.agent("w1").interval(Duration.ofSeconds(5)).start();
    Await.until("registered", () -> agent.diagnostics().beats().succeeded() == 1);

    for (int i = 0; i < 30; i++) {
      second(impl);
    }
    assertThat(detector.state("w1")).contains(AgentState.ALIVE);
    assertThat(changes).isEmpty();

    link.fail(); // the agent can no longer reach the store: silent from here
    int seconds = secondsUntil(impl, detector, AgentState.DEAD, 60);
    assertThat(detector.state("w1")).contains(AgentState.DEAD);
    assertThat(seconds).as("dead within the documented bound")
        .isLessThanOrEqualTo((int) DetectorConfig.DEFAULTS.worstCaseDetection().toSeconds());
    Await.until("listener told", () -> changes.size() == 2);
    assertThat(changes).extracting(AgentChange::kind).containsExactly(Kind.SUSPECTED, Kind.DIED);

    link.heal(); // the same run comes back after its backoff
    secondsUntil(impl, detector, AgentState.ALIVE, 40);
    assertThat(detector.state("w1")).contains(AgentState.ALIVE);
    Await.until("recovery told", () -> changes.size() == 3);
    assertThat(changes.get(2).recovery()).isEqualTo(Recovery.FALSE_ALARM);

    worker.close();
    secondsUntil(impl, detector, AgentState.LEFT, 5);
    for (int i = 0; i < 60; i++) {
      second(impl);
    }
    assertThat(detector.state("w1")).contains(AgentState.LEFT);
    Await.until("leave told", () -> changes.size() == 4);
    assertThat(changes.get(3).kind()).isEqualTo(Kind.LEFT);
    AgentView row = watcher.registry().agent("w1").orElseThrow();
    assertThat(row.state()).isEqualTo(AgentState.LEFT);
    assertThat(row.status()).isEqualTo(AgentStatus.LEFT);
    assertThat(row.incarnation()).isEqualTo(agent.incarnation());
    assertThat(changes).hasSize(4);
  }

  @Test
  void onAStoreWithALiveFeedTheDetectorTakesBeatsFromItAndReadsFiveTimesLessOften() {
    FeedingStore feeding = new FeedingStore(store);
    Heartbeats watcher = engine("watcher", feeding);
    Heartbeats worker = engine("worker", feeding);
    StallDetector detector = watcher.detector();
    DetectorImpl impl = ((Engine) watcher).detection().detector();
    assertThat(feeding.feeds).hasSize(1);
    FeedingStore.Feed feed = feeding.feeds.get(0);
    HeartbeatAgent agent = worker.agent("w1").interval(Duration.ofSeconds(5)).start();
    Await.until("registered", () -> agent.diagnostics().beats().succeeded() == 1);

    for (int i = 0; i < 60; i++) {
      long rounds = impl.rounds();
      time.advance(Duration.ofSeconds(1));
      // the detector ran this second, its read (if it sent one) ended, and none of the worker's
      // beats is on its way: the clock never outruns a call (on a loaded machine it passed the
      // call timeout of a read or a beat, which then counted as no read, or no beat)
      Await.until("round " + i, () -> impl.rounds() > rounds && !impl.reading()
          && engines.stream().allMatch(this::quiet));
    }
    Await.until("the last read applied", () -> impl.reads() >= 12);
    assertThat(impl.reads()).as("one read per 5 s").isBetween(12L, 14L);
    // counted against the store, not the agent: a beat call the clock outran (abandoned at its
    // call timeout on the test's clock, then stored late) is stored and fed, never "succeeded"
    Await.until("every stored beat came through the feed",
        () -> feed.delivered.get() == store.history("w1", 1000).size());
    assertThat(feed.delivered.get()).as("the worker's ticker may lag the test's clock a little")
        .isGreaterThanOrEqualTo(8);
    assertThat(detector.state("w1")).contains(AgentState.ALIVE);

    watcher.close();
    assertThat(feed.closed).as("closed with the engine").isTrue();
  }

  @Test
  void manyRegistryCallersAtOnceCauseOneStoreRead() throws Exception {
    store.register(new Beat("a", "run-1", 1, Optional.of("t-1"), AgentStatus.WORKING,
        OptionalDouble.of(0.5), Optional.of("1/3"), true, Optional.empty()));
    store.register(new Beat("b", "run-1", 1, Optional.empty(), AgentStatus.IDLE,
        OptionalDouble.empty(), Optional.empty(), false, Optional.empty()));
    FaultyStore link = new FaultyStore(store);
    Heartbeats hb = engine("reader", link);
    int before = link.calls();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> callers = new ArrayList<>();
    List<List<AgentView>> answers = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 16; i++) {
      callers.add(Thread.ofVirtual().start(() -> {
        try {
          go.await();
          answers.add(hb.registry().agents());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    go.countDown();
    for (Thread caller : callers) {
      caller.join(Duration.ofSeconds(20));
    }
    assertThat(answers).hasSize(16);
    assertThat(link.calls() - before).as("one agents() read for 16 callers").isEqualTo(1);
    AgentView a = answers.get(0).get(0);
    assertThat(a.agentId()).isEqualTo("a");
    assertThat(a.state()).isEqualTo(AgentState.ALIVE);
    assertThat(a.taskId()).contains("t-1");
    assertThat(a.progress()).contains("1/3");
    assertThat(a.cpu()).hasValue(0.5);
    AgentView b = answers.get(0).get(1);
    assertThat(b.taskId()).isEmpty();
    assertThat(b.progress()).isEmpty();
    assertThat(b.progressAt()).isEmpty();
    assertThat(b.cpu()).as("unknown, never a sentinel").isEmpty();
    assertThat(a.lastBeatAge()).isZero();
    assertThat(a.nextBeatDue()).isEqualTo(time.instant().plusSeconds(5));

    time.advance(Duration.ofSeconds(20));
    AgentView later = hb.registry().agent("b").orElseThrow();
    assertThat(link.calls() - before).as("an old snapshot is read again").isEqualTo(2);
    assertThat(later.lastBeatAge()).isEqualTo(Duration.ofSeconds(20));
    assertThat(later.state()).as("no detector: judged by age against the hard timeout")
        .isEqualTo(AgentState.SUSPECT);
    assertThat(hb.registry().agent("nobody")).isEmpty();
  }

  /**
   * Issue 14: the next beat of an agent beating every 500 ms is due 500 ms after its last beat,
   * not one assumed detector interval (5 s) after it; a record without an interval (an earlier
   * version's, a one-shot beat's) falls back to the assumed one.
   */
  @Test
  void theRegistryExpectsTheNextBeatOneOfTheAgentsOwnIntervalsAfterTheLast() {
    Heartbeats worker = engine("worker", store);
    HeartbeatAgent agent = worker.agent("fast").interval(Duration.ofMillis(500)).start();
    Await.until("registered", () -> agent.diagnostics().beats().succeeded() == 1);
    assertThat(store.agent("fast").orElseThrow().interval()).contains(Duration.ofMillis(500));
    store.register(new Beat("old", "run-1", 1, Optional.empty(), AgentStatus.IDLE,
        OptionalDouble.empty(), Optional.empty(), false,
        Optional.empty()));

    Heartbeats reader = engine("reader", store);
    java.time.Instant fastAt = store.agent("fast").orElseThrow().at();
    java.time.Instant oldAt = store.agent("old").orElseThrow().at();
    java.time.Instant now = time.instant();
    AgentView fast = reader.registry().agent("fast").orElseThrow();
    assertThat(fast.nextBeatDue()).isEqualTo(now.plus(Duration.ofMillis(500))
        .minus(Duration.between(fastAt, now)));
    AgentView old = reader.registry().agent("old").orElseThrow();
    assertThat(old.nextBeatDue()).isEqualTo(now.plus(DetectorConfig.DEFAULTS.expectedInterval())
        .minus(Duration.between(oldAt, now)));
  }

  @Test
  void aRegistryCallOnAHangingStoreFailsAfterTheCallTimeoutAndTheNextReadsAgain() {
    FaultyStore link = new FaultyStore(store);
    Heartbeats hb = Heartbeats.builder().store(link).time(time).holderId("h")
        .callTimeout(Duration.ofSeconds(3)).closeTimeout(Duration.ofSeconds(1)).build();
    engines.add(hb);
    link.hang();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller = Thread.ofVirtual().start(() -> {
      try {
        hb.registry().agents();
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    Await.until("the caller waits on the clock", () -> time.isParked(caller));
    time.advance(Duration.ofSeconds(3));
    Await.until("the caller gave up", () -> !caller.isAlive());
    assertThat(thrown.get()).isInstanceOf(HeartbeatStoreException.class)
        .hasMessageContaining("agents()").hasMessageContaining("no answer within PT3S");

    link.heal();
    store.register(new Beat("a", "run-1", 1, Optional.empty(), AgentStatus.IDLE,
        OptionalDouble.empty(), Optional.empty(), false, Optional.empty()));
    assertThat(hb.registry().agents()).extracting(AgentView::agentId).containsExactly("a");
  }

  @Test
  void theDetectorStartsWhenFirstAskedFor() {
    FaultyStore link = new FaultyStore(store);
    Heartbeats hb = engine("lazy", link);
    long ticks = hb.ticker().ticks();
    time.advance(Duration.ofSeconds(31)); // past the idle ticker's wake-up
    Await.until("the ticker ran", () -> hb.ticker().ticks() > ticks);
    assertThat(link.calls()).as("no detector, no reads").isZero();

    hb.detector();
    Await.until("the detector's first read", () -> link.calls() == 1);
  }

  @Test
  void oneDetectorPerInstanceAndNoneAfterClose() {
    Heartbeats hb = engine("x", store);
    StallDetector first = hb.detector();
    assertThat(hb.detector()).isSameAs(first);
    assertThat(hb.detector(DetectorConfig.DEFAULTS)).isSameAs(first);
    DetectorConfig other = DetectorConfig.DEFAULTS.withStallAfter(Duration.ofMinutes(5));
    assertThatThrownBy(() -> hb.detector(other)).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("a stall detector already runs with DetectorConfig[")
        .hasMessageContaining("stallAfter=PT5M");
    hb.close();
    assertThatThrownBy(hb::detector).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
  }
}
