package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentChange.Kind;
import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentState;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.Heartbeat;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The judgement alone, as a simulator drives it: arrivals and instants in, changes out; no store,
 * no thread, no clock but the numbers passed in.
 */
class DetectorCoreTest {
  private static final DetectorConfig CONFIG = DetectorConfig.DEFAULTS;
  private static final long S = 1_000_000_000L;
  private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  private final DetectorCore core = new DetectorCore(CONFIG, InstantSource.fixed(EPOCH));
  private final List<AgentChange> changes = new ArrayList<>();

  private static Heartbeat beat(String id, String run, long seq, AgentStatus status,
      Instant at) {
    boolean working = status == AgentStatus.WORKING;
    return new Heartbeat(id, run, seq, working ? Optional.of("t") : Optional.empty(), status,
        OptionalDouble.empty(), Optional.empty(), working ? Optional.of(EPOCH) : Optional.empty(),
        at, Optional.empty());
  }

  /** Steady beats every 5 s from 0 to {@code until} seconds; judged every second. */
  private long steady(String id, long until) {
    for (long t = 0; t <= until; t++) {
      if (t % 5 == 0) {
        changes.addAll(core.observe(beat(id, "r", t / 5 + 1, AgentStatus.IDLE, EPOCH), t * S,
            null));
      }
      changes.addAll(core.evaluate(t * S));
    }
    return until;
  }

  /** Judges every second from {@code from} until {@code id} is {@code state}; returns when. */
  private long judgeUntil(String id, AgentState state, long from) {
    long t = from;
    while (core.states().get(id) != state && t < from + 600) {
      t++;
      changes.addAll(core.evaluate(t * S));
    }
    return t;
  }

  @Test
  void steadyBeatsAreSuspectedAfterAboutThirteenSecondsAndDeadWithinTheGrace() {
    long last = steady("a", 300);
    assertThat(changes).isEmpty();
    long suspectAt = judgeUntil("a", AgentState.SUSPECT, last);
    assertThat(suspectAt - last).as("phi 8 at 5 + 5 + 5.6 x 0.5 s").isEqualTo(13);
    long deadAt = judgeUntil("a", AgentState.DEAD, suspectAt);
    assertThat(deadAt - suspectAt).as("the fleet's tail, one agent's 60 beats: before the grace")
        .isPositive().isLessThan(CONFIG.suspicionGrace().toSeconds());
    assertThat(changes).extracting(AgentChange::kind).containsExactly(Kind.SUSPECTED, Kind.DIED);
    assertThat(changes.get(0).at()).isEqualTo(EPOCH);
  }

  private final long[] fleetNext = new long[200];
  private final long[] fleetSeq = new long[200];
  private long fleetLast;

  /**
   * Beats every 5 s of 200 agents "f0".."f199" from {@code from} to {@code until} s, every
   * {@code pauseEvery}-th beat of each {@code pause} s late (none for 0); judged every second.
   * Returns when "f0" last beat.
   */
  private long fleet(long from, long until, long pauseEvery, long pause) {
    for (long t = from; t <= until; t++) {
      for (int i = 0; i < fleetNext.length; i++) {
        if (fleetNext[i] == t) {
          changes.addAll(core.observe(beat("f" + i, "r", ++fleetSeq[i], AgentStatus.IDLE,
              EPOCH), t * S, null));
          fleetNext[i] = t + 5 + (pauseEvery > 0 && (fleetSeq[i] + i) % pauseEvery == 0
              ? pause : 0);
          if (i == 0) {
            fleetLast = t;
          }
        }
      }
      changes.addAll(core.evaluate(t * S));
    }
    return fleetLast;
  }

  @Test
  void aFleetWithoutLongSilencesConvictsACrashSoonAfterTheSuspicion() {
    long last = fleet(0, 600, 0, 0); // then "f0" crashes, and the fleet with it
    long suspectAt = judgeUntil("f0", AgentState.SUSPECT, last);
    long deadAt = judgeUntil("f0", AgentState.DEAD, suspectAt);
    assertThat(deadAt - last).as("silence at DEAD: the fleet never paused, so soon after SUSPECT")
        .isLessThanOrEqualTo(16);
    assertThat(deadAt - suspectAt).isLessThan(CONFIG.suspicionGrace().toSeconds());
  }

  @Test
  void aFleetThatPausesForTwentySecondsNowAndThenWaitsLongerBeforeDead() {
    // one beat in 40 of every agent late by 2, 4, ... 20 s, ten minutes each
    long last = 0;
    for (int round = 0; round < 10; round++) {
      last = fleet(round * 600L, round * 600L + 599, 40, 2 + 2 * round);
    }
    long suspectAt = judgeUntil("f0", AgentState.SUSPECT, round(last));
    long deadAt = judgeUntil("f0", AgentState.DEAD, suspectAt);
    assertThat(deadAt - last).as("silence at DEAD: past the fleet's 25 s silences")
        .isGreaterThan(25).isLessThanOrEqualTo(CONFIG.hardTimeout().plus(CONFIG.suspicionGrace())
            .toSeconds() + 1);
  }

  private static long round(long last) {
    return Math.max(last, 5_999);
  }

  /**
   * {@link AgentStatus#LEFT} (what the agent says) always yields {@link AgentState#LEFT} (the
   * verdict), whatever the verdict was: ALIVE, STALLED, SUSPECT, DEAD, or a first sighting; and
   * the registry's judgement without a detector says the same.
   */
  @Test
  void aLeftStatusYieldsTheLeftStateFromEveryState() {
    for (AgentState from : List.of(AgentState.ALIVE, AgentState.STALLED, AgentState.SUSPECT,
        AgentState.DEAD)) {
      DetectorCore one = new DetectorCore(CONFIG, InstantSource.fixed(EPOCH));
      AgentStatus status = from == AgentState.STALLED ? AgentStatus.WORKING : AgentStatus.IDLE;
      long t = 0;
      long seq = 1;
      one.observe(beat("a", "r", seq++, status, EPOCH), 0, null);
      while (one.states().get("a") != from && t < 600) {
        t++;
        if (from == AgentState.STALLED && t % 5 == 0) { // beats go on, progress does not
          one.observe(beat("a", "r", seq++, status, EPOCH), t * S, null);
        }
        one.evaluate(t * S);
      }
      one.publish();
      assertThat(one.states()).as("reached").containsEntry("a", from);
      assertThat(one.observe(beat("a", "r", seq, AgentStatus.LEFT, EPOCH), t * S, null))
          .as("from %s", from).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.LEFT);
            assertThat(c.from()).isEqualTo(from);
            assertThat(c.to()).isEqualTo(AgentState.LEFT);
          });
      assertThat(one.evaluate((t + 3_600) * S)).as("LEFT is final: never suspected").isEmpty();
      assertThat(one.states()).containsEntry("a", AgentState.LEFT);
    }
    core.observe(beat("first-seen", "r", 1, AgentStatus.LEFT, EPOCH), 0, null);
    core.publish();
    assertThat(core.states()).containsEntry("first-seen", AgentState.LEFT);

    Heartbeat left = beat("old", "r", 1, AgentStatus.LEFT, EPOCH);
    assertThat(RegistryImpl.view(left, EPOCH.plus(java.time.Duration.ofDays(1)), EPOCH, null,
        CONFIG).state()).as("no detector: a day-old LEFT is LEFT, not SUSPECT")
        .isEqualTo(AgentState.LEFT);
  }

  /**
   * A new agent's window starts around the interval its beat carries: one beating every 500 ms
   * is suspected well before one whose beat carries none (judged by the assumed 5 s).
   */
  @Test
  void aNewAgentIsJudgedByTheIntervalItsBeatCarries() {
    Heartbeat fast = new Heartbeat("fast", "r", 1, Optional.empty(), AgentStatus.IDLE,
        OptionalDouble.empty(), Optional.empty(), Optional.empty(), EPOCH,
        Optional.of(java.time.Duration.ofMillis(500)));
    core.observe(fast, 0, null);
    core.observe(beat("plain", "r", 1, AgentStatus.IDLE, EPOCH), 0, null);
    long fastSuspected = judgeUntil("fast", AgentState.SUSPECT, 0);
    assertThat(core.states().get("plain")).isEqualTo(AgentState.ALIVE);
    long plainSuspected = judgeUntil("plain", AgentState.SUSPECT, fastSuspected);
    assertThat(fastSuspected).isLessThan(plainSuspected);
    assertThat(changes).filteredOn(c -> c.kind() == Kind.SUSPECTED)
        .extracting(AgentChange::agentId, c -> c.evidence().expectedInterval())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("fast",
            java.time.Duration.ofMillis(500)), org.assertj.core.groups.Tuple.tuple("plain",
            CONFIG.expectedInterval()));
  }

  @Test
  void theHardTimeoutSuspectsEvenWhenTheHistoryIsWild() {
    for (long t = 0, seq = 1; t <= 600; t += seq % 2 == 0 ? 1 : 14, seq++) {
      core.observe(beat("wild", "r", seq, AgentStatus.IDLE, EPOCH), t * S, null);
    }
    assertThat(core.phi("wild", 614 * S)).as("phi alone would wait").isLessThan(8);
    assertThat(core.evaluate(614 * S)).isEmpty();
    assertThat(core.evaluate(615 * S)).extracting(AgentChange::kind)
        .containsExactly(Kind.SUSPECTED);
  }

  @Test
  void anAgentFirstSeenWithAnOldBeatIsJudgedByItsAgeOnTheStoreClock() {
    Instant storeNow = EPOCH.plusSeconds(3600);
    core.observe(beat("old", "r", 9, AgentStatus.IDLE, EPOCH), 100 * S, storeNow);
    core.observe(beat("fresh", "r", 9, AgentStatus.IDLE, storeNow.minusSeconds(2)), 100 * S,
        storeNow);
    core.observe(beat("gone", "r", 9, AgentStatus.LEFT, EPOCH), 100 * S, storeNow);
    assertThat(core.evaluate(100 * S)).extracting(AgentChange::agentId).containsExactly("old");
    assertThat(core.states()).containsEntry("old", AgentState.SUSPECT)
        .containsEntry("fresh", AgentState.ALIVE).containsEntry("gone", AgentState.LEFT);
  }

  @Test
  void workTimeAlreadyWithoutProgressCountsOnFirstSight() {
    Instant storeNow = EPOCH.plus(CONFIG.stallAfter()).minusSeconds(10);
    core.observe(beat("w", "r", 3, AgentStatus.WORKING, storeNow), 0, storeNow);
    assertThat(core.evaluate(9 * S)).isEmpty();
    core.observe(beat("w", "r", 4, AgentStatus.WORKING, storeNow.plusSeconds(5)), 5 * S, null);
    assertThat(core.evaluate(10 * S)).extracting(AgentChange::kind)
        .containsExactly(Kind.STALLED);
  }

  @Test
  void staleReadsOfAnOldRunOrAnOldSequenceAreIgnored() {
    steady("a", 20);
    core.observe(beat("a", "r2", 1, AgentStatus.IDLE, EPOCH), 21 * S, null);
    assertThat(core.observe(beat("a", "r", 9, AgentStatus.IDLE, EPOCH), 22 * S, null)).isEmpty();
    assertThat(core.observe(beat("a", "r2", 1, AgentStatus.IDLE, EPOCH), 23 * S, null)).isEmpty();
    assertThat(core.evaluate(33 * S)).as("silence counts from the new run's first beat")
        .isEmpty();
  }

  @Test
  void shiftingExcusesTheUnwatchedTimeButNeverMovesAClockPastNow() {
    steady("a", 100);
    core.shift(30 * S, 120 * S);
    assertThat(core.evaluate(120 * S)).as("silence 20 s, 20 s excused").isEmpty();
    assertThat(core.phi("a", 120 * S)).isZero();
    core.retain(Set.of());
    assertThat(core.states()).isEmpty();
  }
}
