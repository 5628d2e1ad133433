package dev.heartbeat.tck;

import static dev.heartbeat.tck.Beats.plain;
import static dev.heartbeat.tck.Beats.progress;
import static dev.heartbeat.tck.Beats.same;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.ProgressEvent;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.Retention;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The heartbeat part of the contract: registration, beats, history, events, pruning. */
public abstract class HeartbeatContract extends StoreContract {
  /** For subclasses: a store's test class extends it. */
  protected HeartbeatContract() {}


  @Test
  void registerStoresTheFirstBeatStampedByTheStoreClock() {
    HeartbeatStore store = open();
    time.advance(Duration.ofHours(1));
    Heartbeat stored = store.register(plain("a", 1));
    assertThat(stored.agentId()).isEqualTo("a");
    assertThat(stored.incarnation()).isEqualTo("inc-1");
    assertThat(stored.sequence()).isEqualTo(1);
    assertThat(stored.status()).isEqualTo(AgentStatus.IDLE);
    assertThat(stored.cpu()).hasValue(0.25);
    assertThat(stored.taskId()).isEmpty();
    assertThat(stored.progress()).isEmpty();
    assertThat(stored.progressAt()).as("no progress yet").isEmpty();
    assertThat(Duration.between(time.instant(), stored.at()).abs())
        .isLessThan(Duration.ofMinutes(1));
    assertThat(store.agent("a")).contains(stored);
  }

  @Test
  void recordOfAnUnknownAgentIsEmptyAndStoresNothing() {
    HeartbeatStore store = open();
    assertThat(store.record(plain("ghost", 1))).isEmpty();
    assertThat(store.agent("ghost")).isEmpty();
    assertThat(store.agents()).isEmpty();
    assertThat(store.history("ghost", 10)).isEmpty();
  }

  @Test
  void recordUpdatesLatestStateAndAppendsHistoryNewestFirst() {
    HeartbeatStore store = open();
    store.register(plain("a", 1));
    for (int seq = 2; seq <= 5; seq++) {
      time.advance(Duration.ofSeconds(5));
      assertThat(store.record(plain("a", seq))).get().extracting(Heartbeat::sequence)
          .isEqualTo((long) seq);
    }
    assertThat(store.agent("a")).get().extracting(Heartbeat::sequence).isEqualTo(5L);
    assertThat(store.history("a", 10)).extracting(Heartbeat::sequence)
        .containsExactly(5L, 4L, 3L, 2L, 1L);
    assertThat(store.history("a", 2)).extracting(Heartbeat::sequence).containsExactly(5L, 4L);
  }

  @Test
  void historyIsBoundedByTheHistoryLimit() {
    HeartbeatStore store = open();
    store.register(plain("a", 1));
    for (int seq = 2; seq <= HISTORY_LIMIT * 2; seq++) {
      store.record(plain("a", seq));
    }
    List<Heartbeat> history = store.history("a", HISTORY_LIMIT * 3);
    assertThat(history).hasSizeBetween(HISTORY_LIMIT, HISTORY_LIMIT + HISTORY_LIMIT / 2);
    assertThat(history.get(0).sequence()).isEqualTo(HISTORY_LIMIT * 2L);
  }

  @Test
  void progressBecomesAnEventOnlyWhenNew() {
    HeartbeatStore store = open();
    store.register(plain("a", 1));
    time.advance(Duration.ofSeconds(5));
    Heartbeat first = store.record(progress("a", 2, "t-1", "step 1/3")).orElseThrow();
    assertThat(first.progressAt()).contains(first.at());
    assertThat(first.taskId()).contains("t-1");
    time.advance(Duration.ofSeconds(5));
    Heartbeat unchanged = store.record(same("a", 3, "t-1", "step 1/3")).orElseThrow();
    assertThat(unchanged.progressAt()).isEqualTo(first.progressAt());
    assertThat(unchanged.progress()).contains("step 1/3");
    time.advance(Duration.ofSeconds(5));
    Heartbeat second = store.record(progress("a", 4, "t-1", "step 2/3")).orElseThrow();
    assertThat(second.progressAt().orElseThrow()).isAfter(first.progressAt().orElseThrow());

    List<ProgressEvent> events = store.events("a", 10);
    assertThat(events).extracting(ProgressEvent::progress)
        .containsExactly(Optional.of("step 2/3"), Optional.of("step 1/3"));
    assertThat(events).extracting(ProgressEvent::sequence).containsExactly(4L, 2L);
    assertThat(events.get(0).taskId()).contains("t-1");
  }

  @Test
  void beatHistoryAndEventAreOneStepEvenUnderConcurrency() throws Exception {
    HeartbeatStore store = open();
    int agents = 4;
    int beats = 15;
    for (int i = 0; i < agents; i++) {
      store.register(plain("c" + i, 0));
    }
    ExecutorService pool = Executors.newFixedThreadPool(agents);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < agents; i++) {
        String id = "c" + i;
        done.add(pool.submit(() -> {
          for (int seq = 1; seq <= beats; seq++) {
            Beat beat = seq % 3 == 0 ? progress(id, seq, "t", "p" + seq) : plain(id, seq);
            Heartbeat stored = store.record(beat).orElseThrow();
            assertConsistent(store, id, stored);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < agents; i++) {
      assertThat(store.agent("c" + i)).get().extracting(Heartbeat::sequence)
          .isEqualTo((long) beats);
      assertThat(store.events("c" + i, 100)).extracting(ProgressEvent::sequence)
          .containsExactly(15L, 12L, 9L, 6L, 3L);
    }
  }

  private static void assertConsistent(HeartbeatStore store, String id, Heartbeat stored) {
    List<Heartbeat> history = store.history(id, 1);
    assertThat(history).isNotEmpty();
    assertThat(history.get(0).sequence()).isEqualTo(stored.sequence());
    if (stored.sequence() % 3 == 0) {
      assertThat(store.events(id, 1)).extracting(ProgressEvent::sequence)
          .containsExactly(stored.sequence());
    }
  }

  @Test
  void agentsAreListedInIdOrder() {
    HeartbeatStore store = open();
    store.register(plain("b", 1));
    store.register(plain("a", 1));
    store.register(plain("c", 1));
    assertThat(store.agents()).extracting(Heartbeat::agentId).containsExactly("a", "b", "c");
  }

  @Test
  void registerWithANewIncarnationReplacesTheLatestState() {
    HeartbeatStore store = open();
    store.register(plain("a", 1));
    store.record(plain("a", 2));
    Beat restarted = new Beat("a", "inc-2", 1, Optional.empty(), AgentStatus.IDLE,
        OptionalDouble.empty(), Optional.empty(), false, Optional.empty());
    store.register(restarted);
    Heartbeat latest = store.agent("a").orElseThrow();
    assertThat(latest.incarnation()).isEqualTo("inc-2");
    assertThat(latest.sequence()).isEqualTo(1);
    assertThat(latest.cpu()).as("unknown cpu reads back as unknown, never as a number")
        .isEmpty();
    assertThat(store.history("a", 1)).singleElement()
        .satisfies(h -> assertThat(h.cpu()).isEmpty());
  }

  @Test
  void leftIsRecordedLikeAnyBeat() {
    HeartbeatStore store = open();
    store.register(plain("a", 1));
    store.record(new Beat("a", "inc-1", 2, Optional.empty(), AgentStatus.LEFT, OptionalDouble.of(0),
        Optional.empty(), false, Optional.empty()));
    assertThat(store.agent("a")).get().extracting(Heartbeat::status).isEqualTo(AgentStatus.LEFT);
  }

  /**
   * Every beat stores the interval it carries (so that a reader knows when the agent's next beat
   * is due), in latest state, history, every answer and the stale answer; a one-shot beat
   * without one stores none.
   */
  @Test
  void theIntervalABeatCarriesIsStoredWithIt() {
    HeartbeatStore store = open();
    Duration slower = Duration.ofMillis(3_250);
    assertThat(store.register(plain("a", 1)).interval()).contains(Beats.INTERVAL);
    assertThat(store.record(intervalBeat("a", 2, Optional.of(slower)))).get()
        .extracting(Heartbeat::interval).isEqualTo(Optional.of(slower));
    assertThat(store.agent("a")).get().extracting(Heartbeat::interval)
        .isEqualTo(Optional.of(slower));
    assertThat(store.agents()).extracting(Heartbeat::interval)
        .containsExactly(Optional.of(slower));
    assertThat(store.history("a", 10)).extracting(Heartbeat::interval)
        .containsExactly(Optional.of(slower), Optional.of(Beats.INTERVAL));
    assertThat(store.record(plain("a", 2))).as("the stale answer is the stored state").get()
        .extracting(Heartbeat::interval).isEqualTo(Optional.of(slower));

    assertThat(store.recordAll(List.of(intervalBeat("a", 3, Optional.empty()))))
        .singleElement().satisfies(h -> assertThat(h.orElseThrow().interval()).isEmpty());
    assertThat(store.agent("a").orElseThrow().interval()).isEmpty();
    Duration faster = Duration.ofMillis(125);
    store.record(intervalBeat("a", 4, Optional.of(faster)));
    assertThat(store.agent("a").orElseThrow().interval()).contains(faster);
    assertThat(store.register(intervalBeat("b", 1, Optional.empty())).interval()).isEmpty();
    assertThat(store.agent("b").orElseThrow().interval()).isEmpty();
  }

  private static Beat intervalBeat(String agent, long seq, Optional<Duration> interval) {
    return new Beat(agent, "inc-1", seq, Optional.empty(), AgentStatus.IDLE,
        OptionalDouble.of(0.25), Optional.empty(), false, interval);
  }

  @Test
  void pruneRemovesOldHistoryAndKeepsLatestState() {
    HeartbeatStore store = open();
    store.register(progress("a", 1, "t", "old"));
    for (int seq = 2; seq <= 6; seq++) {
      store.record(plain("a", seq));
    }
    time.advance(Duration.ofHours(2));
    store.record(progress("a", 7, "t", "new"));
    store.record(plain("a", 8));

    long removed = store.prune(new Retention(Duration.ofHours(1), 100));
    assertThat(removed).isEqualTo(7); // six old beats and one old event
    assertThat(store.history("a", 100)).extracting(Heartbeat::sequence).containsExactly(8L, 7L);
    assertThat(store.events("a", 100)).extracting(ProgressEvent::progress)
        .containsExactly(Optional.of("new"));
    assertThat(store.agent("a")).get().extracting(Heartbeat::sequence).isEqualTo(8L);

    assertThat(store.prune(new Retention(Duration.ofDays(1), 1))).isEqualTo(1);
    assertThat(store.history("a", 100)).extracting(Heartbeat::sequence).containsExactly(8L);
    assertThat(store.prune(new Retention(Duration.ofDays(1), 1))).isZero();
  }

  @Test
  void awkwardIdsRoundTripUnchanged() {
    HeartbeatStore store = open();
    List<String> ids = List.of("wörker/7 'x'; DROP TABLE agents;--", "日本語-エージェント",
        "a\"b\\c", "..", "with space", "%2F", "{tag}:x", "*", "A".repeat(128));
    for (String id : ids) {
      store.register(progress(id, 1, "task;'\"", "progress ünïcødé ✓"));
    }
    for (String id : ids) {
      Heartbeat h = store.agent(id).orElseThrow();
      assertThat(h.agentId()).isEqualTo(id);
      assertThat(h.taskId()).contains("task;'\"");
      assertThat(h.progress()).contains("progress ünïcødé ✓");
      assertThat(store.history(id, 5)).hasSize(1);
      assertThat(store.events(id, 5)).extracting(ProgressEvent::agentId).containsExactly(id);
    }
    assertThat(store.agents()).extracting(Heartbeat::agentId).containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  void storeClockIsReportedByNow() {
    HeartbeatStore store = open();
    Instant before = store.now();
    time.advance(Duration.ofMinutes(10));
    assertThat(Duration.between(before, store.now())).isBetween(Duration.ofMinutes(10),
        Duration.ofMinutes(11));
  }

  // ------------------------------------------------------------ nothing goes back in time

  private static Beat beat(String agent, String incarnation, long seq, AgentStatus status) {
    return new Beat(agent, incarnation, seq, Optional.empty(), status, OptionalDouble.of(0.25),
        Optional.empty(), false, Optional.empty());
  }

  @Test
  void aBeatWithASequenceNotAboveTheStoredOneChangesNothing() {
    HeartbeatStore store = open();
    store.register(plain("a", 1));
    store.record(plain("a", 5));
    time.advance(Duration.ofSeconds(1));
    assertThat(store.record(plain("a", 3))).as("an older beat gets the stored state back")
        .get().extracting(Heartbeat::sequence).isEqualTo(5L);
    assertThat(store.record(plain("a", 5))).get().extracting(Heartbeat::sequence).isEqualTo(5L);
    assertThat(store.agent("a")).get().extracting(Heartbeat::sequence).isEqualTo(5L);
    assertThat(store.history("a", 10)).extracting(Heartbeat::sequence).containsExactly(5L, 1L);
  }

  @Test
  void aStaleBeatAddsNoProgressEvent() {
    HeartbeatStore store = open();
    store.register(progress("a", 1, "t", "1/3"));
    store.record(progress("a", 4, "t", "2/3"));
    store.record(progress("a", 2, "t", "0/3"));
    assertThat(store.events("a", 10)).extracting(ProgressEvent::progress)
        .containsExactly(Optional.of("2/3"), Optional.of("1/3"));
    assertThat(store.agent("a")).get().extracting(Heartbeat::progress)
        .isEqualTo(Optional.of("2/3"));
  }

  @Test
  void aBeatOfAnotherIncarnationChangesNothing() {
    HeartbeatStore store = open();
    store.register(beat("a", "new-run", 1, AgentStatus.IDLE));
    Heartbeat answer = store.record(beat("a", "old-run", 99, AgentStatus.WORKING)).orElseThrow();
    assertThat(answer.incarnation()).isEqualTo("new-run");
    assertThat(store.agent("a")).get().satisfies(h -> {
      assertThat(h.incarnation()).isEqualTo("new-run");
      assertThat(h.sequence()).isEqualTo(1L);
      assertThat(h.status()).isEqualTo(AgentStatus.IDLE);
    });
    assertThat(store.history("a", 10)).hasSize(1);
  }

  @Test
  void leftIsFinalForItsIncarnationUntilANewRunRegisters() {
    HeartbeatStore store = open();
    store.register(beat("a", "run-1", 1, AgentStatus.WORKING));
    store.record(beat("a", "run-1", 2, AgentStatus.LEFT));
    assertThat(store.record(beat("a", "run-1", 3, AgentStatus.WORKING))).get()
        .extracting(Heartbeat::status).isEqualTo(AgentStatus.LEFT);
    assertThat(store.recordAll(List.of(beat("a", "run-1", 4, AgentStatus.WORKING))))
        .singleElement().satisfies(h -> assertThat(h).get().extracting(Heartbeat::status)
            .isEqualTo(AgentStatus.LEFT));
    assertThat(store.agent("a")).get().extracting(Heartbeat::status).isEqualTo(AgentStatus.LEFT);

    Heartbeat restarted = store.register(beat("a", "run-2", 1, AgentStatus.IDLE));
    assertThat(restarted.incarnation()).isEqualTo("run-2");
    assertThat(store.agent("a")).get().extracting(Heartbeat::status).isEqualTo(AgentStatus.IDLE);
  }

  @Test
  void aLateRegistrationOfTheSameRunChangesNothing() {
    HeartbeatStore store = open();
    store.register(plain("a", 1));
    store.record(plain("a", 2));
    assertThat(store.register(plain("a", 1)).sequence()).isEqualTo(2L);
    assertThat(store.agent("a")).get().extracting(Heartbeat::sequence).isEqualTo(2L);
    assertThat(store.history("a", 10)).extracting(Heartbeat::sequence).containsExactly(2L, 1L);
  }

  @Test
  void aBatchAppliesBeatsOfOneAgentInOrderAndRejectsTheStaleOnes() {
    HeartbeatStore store = open();
    store.register(plain("a", 1));
    store.register(plain("b", 1));
    List<Optional<Heartbeat>> answers = store.recordAll(List.of(plain("a", 5), plain("b", 2),
        plain("a", 4), plain("a", 6)));
    assertThat(answers).extracting(h -> h.orElseThrow().sequence())
        .containsExactly(5L, 2L, 5L, 6L);
    assertThat(store.agent("a")).get().extracting(Heartbeat::sequence).isEqualTo(6L);
    assertThat(store.history("a", 10)).extracting(Heartbeat::sequence).containsExactly(6L, 5L, 1L);
  }

  @Test
  void racingBeatsOfOneRunNeverMoveTheLatestStateBack() throws Exception {
    HeartbeatStore store = open();
    store.register(plain("a", 1));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int offset = w;
        writers.add(pool.submit(() -> {
          for (long seq = 2 + offset; seq <= 120; seq += 4) {
            store.record(plain("a", seq));
            assertThat(store.agent("a").orElseThrow().sequence()).isGreaterThanOrEqualTo(seq);
          }
        }));
      }
      for (Future<?> writer : writers) {
        writer.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.agent("a")).get().extracting(Heartbeat::sequence).isEqualTo(120L);
    List<Long> history = store.history("a", HISTORY_LIMIT).stream().map(Heartbeat::sequence)
        .toList();
    assertThat(history).as("history newest first, strictly decreasing")
        .isSortedAccordingTo(java.util.Comparator.reverseOrder()).doesNotHaveDuplicates();
  }

  // ------------------------------------------------------------ forgetting

  @Test
  void forgetRemovesLatestStateHistoryAndEvents() {
    HeartbeatStore store = open();
    store.register(progress("gone", 1, "t", "1/2"));
    store.record(progress("gone", 2, "t", "2/2"));
    store.register(plain("kept", 1));
    assertThat(store.forget("gone")).isTrue();
    assertThat(store.agent("gone")).isEmpty();
    assertThat(store.agents()).extracting(Heartbeat::agentId).containsExactly("kept");
    assertThat(store.history("gone", 10)).isEmpty();
    assertThat(store.events("gone", 10)).isEmpty();
    assertThat(store.record(plain("gone", 3))).as("a forgotten agent must register again")
        .isEmpty();
    assertThat(store.forget("gone")).isFalse();
    assertThat(store.forget("never-seen")).isFalse();
    assertThat(store.agent("kept")).isPresent();

    store.register(plain("gone", 1));
    assertThat(store.history("gone", 10)).extracting(Heartbeat::sequence).containsExactly(1L);
  }
}
