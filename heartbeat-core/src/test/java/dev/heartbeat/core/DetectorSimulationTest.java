package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentChange.Kind;
import dev.heartbeat.AgentChange.Recovery;
import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentState;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.tck.FaultyStore;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * The detector in a seeded, deterministic simulation: agents beat into a real memory store on a
 * manual clock; the detector is ticked as the ticker would tick it (see {@link DetectorRig}).
 */
class DetectorSimulationTest {
  private static final DetectorConfig CONFIG = DetectorConfig.DEFAULTS;
  private static final long S = 1_000_000_000L;

  private static LongSupplier jittered(Random random, long jitterMillis) {
    return () -> 5 * S + (random.nextLong(2 * jitterMillis + 1) - jitterMillis) * 1_000_000;
  }

  @Test
  void aCrashedAgentIsDeadWithinTheDocumentedBound() {
    for (long seed = 1; seed <= 5; seed++) {
      Random random = new Random(seed);
      DetectorRig rig = new DetectorRig(CONFIG);
      for (int i = 0; i < 10; i++) {
        rig.agent("a" + i, jittered(random, 500));
      }
      rig.run(Duration.ofMinutes(2));
      assertThat(rig.changes).as("seed %d: steady agents", seed).isEmpty();
      rig.run(Duration.ofMillis(random.nextInt(5000)));

      DetectorRig.Sim victim = rig.agents.get("a" + random.nextInt(10));
      victim.crashed = true;
      long bound = victim.lastStoredAt + CONFIG.worstCaseDetection().toNanos();
      while (rig.state(victim.id) != AgentState.DEAD && rig.time.nanoTime() - bound <= 0) {
        rig.run(DetectorRig.STEP);
      }
      assertThat(rig.state(victim.id)).as("seed %d: dead within %s of its last beat", seed,
          CONFIG.worstCaseDetection()).isEqualTo(AgentState.DEAD);
      List<AgentChange> changes = rig.changesOf(victim.id);
      assertThat(changes).extracting(AgentChange::kind).containsExactly(Kind.SUSPECTED, Kind.DIED);
      AgentChange suspected = changes.get(0);
      assertThat(suspected.evidence().phi() >= CONFIG.phiThreshold()
          || suspected.evidence().lastBeatAge().compareTo(CONFIG.hardTimeout()) >= 0).isTrue();
      assertThat(suspected.evidence().expectedInterval())
          .isBetween(Duration.ofMillis(4500), Duration.ofMillis(5500));
      // DEAD a round after SUSPECT at the soonest (once the silence passed the fleet's tail),
      // after the grace at the latest
      assertThat(changes.get(1).evidence().lastBeatAge())
          .isGreaterThanOrEqualTo(suspected.evidence().lastBeatAge().plus(CONFIG.pollInterval()))
          .isLessThanOrEqualTo(suspected.evidence().lastBeatAge().plus(CONFIG.suspicionGrace())
              .plus(CONFIG.pollInterval()));
      assertThat(rig.changes).as("nobody else").hasSize(2);
    }
  }

  @Test
  void jitteredBeatsWithPausesBelowTheAcceptablePauseAreNeverSuspected() {
    Random random = new Random(7);
    DetectorRig rig = new DetectorRig(CONFIG);
    long pauseMillis = CONFIG.acceptablePause().toMillis() - 100;
    for (int i = 0; i < 40; i++) {
      LongSupplier jitter = jittered(random, 1000);
      rig.agent("a" + i, () -> jitter.getAsLong()
          + (random.nextInt(100) < 3 ? random.nextLong(pauseMillis) * 1_000_000 : 0));
    }
    rig.run(Duration.ofHours(1));
    assertThat(rig.changes).as("an hour of 40 jittery agents").isEmpty();
    assertThat(rig.detector.states().values()).containsOnly(AgentState.ALIVE).hasSize(40);
  }

  @Test
  void aDetectorPausedForTenSecondsConvictsNobodyButStillConvictsTheDeadLater() {
    Random random = new Random(11);
    DetectorRig rig = new DetectorRig(CONFIG);
    for (int i = 0; i < 10; i++) {
      rig.agent("a" + i, jittered(random, 500));
    }
    DetectorRig.Sim gone = rig.agent("gone", jittered(random, 500));
    rig.run(Duration.ofMinutes(1));
    gone.crashed = true;
    rig.run(Duration.ofSeconds(2));

    // the detector's process stops for 10 s (GC); the agents elsewhere go on beating
    long end = rig.time.nanoTime() + 10 * S;
    while (rig.time.nanoTime() - end < 0) {
      rig.time.advance(DetectorRig.STEP);
      for (DetectorRig.Sim sim : rig.agents.values()) {
        if (!sim.crashed && rig.time.nanoTime() - sim.nextAt >= 0) {
          sim.beat();
          sim.nextAt = rig.time.nanoTime() + sim.intervals.getAsLong();
        }
      }
    }
    rig.detector.tick(rig.time.nanoTime()); // ten seconds late
    assertThat(rig.changes).as("no conviction in the late round").isEmpty();
    assertThat(rig.detector.localPauses()).as("seen as a local pause").isEqualTo(1);

    rig.run(Duration.ofMinutes(1));
    assertThat(rig.changes).extracting(AgentChange::agentId).containsOnly("gone");
    assertThat(rig.changesOf("gone")).extracting(AgentChange::kind)
        .containsExactly(Kind.SUSPECTED, Kind.DIED);
    assertThat(rig.changesOf("gone").get(0).evidence().localPause())
        .as("the pause is not held against it").isGreaterThanOrEqualTo(Duration.ofSeconds(9));
  }

  @Test
  void aWholeProcessPausedForTenSecondsConvictsNobody() {
    Random random = new Random(13);
    DetectorRig rig = new DetectorRig(CONFIG);
    for (int i = 0; i < 10; i++) {
      rig.agent("a" + i, jittered(random, 500));
    }
    rig.run(Duration.ofMinutes(1));
    rig.time.advance(Duration.ofSeconds(10)); // nothing ran: no beats, no ticks
    for (DetectorRig.Sim sim : rig.agents.values()) {
      sim.nextAt = Math.max(sim.nextAt, rig.time.nanoTime());
    }
    rig.run(Duration.ofMinutes(2));
    assertThat(rig.changes).isEmpty();
    assertThat(rig.detector.localPauses()).isEqualTo(1);
  }

  @Test
  void aStuckAgentIsStalledWithinStallAfterPlusOneTickAndResumesWithProgress() {
    DetectorRig rig = new DetectorRig(CONFIG);
    DetectorRig.Sim worker = rig.agent("worker", () -> 5 * S);
    DetectorRig.Sim idle = rig.agent("idle", () -> 5 * S);
    long[] lastProgressStored = new long[1];
    worker.onStored = h -> {
      if (h.progressAt().filter(h.at()::equals).isPresent()) {
        lastProgressStored[0] = rig.time.nanoTime();
      }
    };
    for (int step = 1; step <= 12; step++) {
      worker.working("task-1", "step " + step);
      rig.run(Duration.ofSeconds(5));
    }
    assertThat(rig.changes).isEmpty();

    // the beats fall on the detector's rounds here, so it sees progress as soon as it is stored
    long limit = lastProgressStored[0] + CONFIG.stallAfter().toNanos()
        + CONFIG.pollInterval().toNanos();
    while (rig.state("worker") != AgentState.STALLED && rig.time.nanoTime() - limit <= 0) {
      rig.run(DetectorRig.STEP);
    }
    assertThat(rig.state("worker")).as("stalled within stallAfter plus one tick")
        .isEqualTo(AgentState.STALLED);
    long stalledAfter = rig.time.nanoTime() - lastProgressStored[0];
    assertThat(stalledAfter).as("not before stallAfter")
        .isGreaterThanOrEqualTo(CONFIG.stallAfter().toNanos());
    assertThat(rig.changesOf("worker")).extracting(AgentChange::kind).containsExactly(Kind.STALLED);
    assertThat(rig.state("idle")).as("an idle agent is never stalled").isEqualTo(AgentState.ALIVE);

    rig.run(Duration.ofMinutes(1));
    assertThat(rig.state("worker")).as("still beating: stalled, not suspect")
        .isEqualTo(AgentState.STALLED);
    worker.working("task-1", "step 13");
    rig.run(Duration.ofSeconds(6));
    assertThat(rig.changesOf("worker")).extracting(AgentChange::kind)
        .containsExactly(Kind.STALLED, Kind.RESUMED);
    assertThat(rig.state("worker")).isEqualTo(AgentState.ALIVE);
  }

  @Test
  void aGracefulLeaveIsLeftNeverDeadAndARestartRejoins() {
    DetectorRig rig = new DetectorRig(CONFIG);
    DetectorRig.Sim agent = rig.agent("a", () -> 5 * S);
    rig.run(Duration.ofMinutes(1));
    agent.leave();
    rig.run(Duration.ofMinutes(10));
    assertThat(rig.state("a")).isEqualTo(AgentState.LEFT);
    assertThat(rig.changesOf("a")).extracting(AgentChange::kind).containsExactly(Kind.LEFT);

    agent.status = dev.heartbeat.AgentStatus.IDLE;
    agent.restart("run-2");
    rig.run(Duration.ofSeconds(2));
    assertThat(rig.changesOf("a")).extracting(AgentChange::kind)
        .containsExactly(Kind.LEFT, Kind.REJOINED);
    assertThat(rig.state("a")).isEqualTo(AgentState.ALIVE);
  }

  @Test
  void aSlowAgentIsAFalseAlarmAndARestartedOneIsReportedAsRestarted() {
    DetectorRig rig = new DetectorRig(CONFIG);
    DetectorRig.Sim slow = rig.agent("slow", () -> 5 * S);
    DetectorRig.Sim crashy = rig.agent("crashy", () -> 5 * S);
    rig.run(Duration.ofMinutes(1));
    slow.crashed = true;
    crashy.crashed = true;
    while (rig.state("slow") != AgentState.SUSPECT) {
      rig.run(DetectorRig.STEP);
    }
    slow.crashed = false; // it was only slow: the same run beats again
    slow.nextAt = rig.time.nanoTime();
    while (rig.state("crashy") != AgentState.DEAD) {
      rig.run(DetectorRig.STEP);
    }
    crashy.restart("run-2");
    rig.run(Duration.ofSeconds(2));

    assertThat(rig.changesOf("slow")).extracting(AgentChange::kind, AgentChange::recovery)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.SUSPECTED, null),
            org.assertj.core.groups.Tuple.tuple(Kind.RECOVERED, Recovery.FALSE_ALARM));
    assertThat(rig.changesOf("crashy")).extracting(AgentChange::kind, AgentChange::recovery)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.SUSPECTED, null),
            org.assertj.core.groups.Tuple.tuple(Kind.DIED, null),
            org.assertj.core.groups.Tuple.tuple(Kind.RECOVERED, Recovery.RESTARTED));
    AgentChange restarted = rig.changesOf("crashy").get(2);
    assertThat(restarted.from()).isEqualTo(AgentState.DEAD);
    assertThat(restarted.incarnation()).isEqualTo("run-2");
    assertThat(rig.detector.states()).containsEntry("slow", AgentState.ALIVE)
        .containsEntry("crashy", AgentState.ALIVE);
  }

  @Test
  void whileTheStoreCannotBeReadNobodyIsConvictedAndAfterwardsOnlyTheDead() {
    DetectorRig rig = new DetectorRig(CONFIG);
    Random random = new Random(17);
    for (int i = 0; i < 5; i++) {
      rig.agent("a" + i, jittered(random, 500));
    }
    DetectorRig.Sim gone = rig.agent("gone", jittered(random, 500));
    rig.run(Duration.ofMinutes(1));
    rig.link.fail(); // the agents still reach the store; the detector cannot read it
    gone.crashed = true;
    rig.run(Duration.ofMinutes(1));
    assertThat(rig.changes).as("a blind detector convicts nobody").isEmpty();
    assertThat(rig.detector.localPauses()).as("blind, not paused").isZero();

    rig.link.heal();
    rig.run(Duration.ofMinutes(1));
    assertThat(rig.changes).extracting(AgentChange::agentId).containsOnly("gone");
    assertThat(rig.state("gone")).isEqualTo(AgentState.DEAD);
    assertThat(rig.changesOf("gone").get(0).evidence().localPause())
        .as("the blind minute is not held against it")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(50));
  }
}
