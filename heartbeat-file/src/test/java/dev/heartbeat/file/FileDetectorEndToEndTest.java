package dev.heartbeat.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentChange.Kind;
import dev.heartbeat.AgentChange.Recovery;
import dev.heartbeat.AgentState;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.AgentView;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.file.DetectorWorld.Worker;
import dev.heartbeat.tck.Await;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stall detector end to end on the file store: real agents, each in a {@link
 * dev.heartbeat.Heartbeats} of its own, beat into one directory that a watcher's detector reads,
 * everything on manual clocks moved one second at a time (see {@link DetectorWorld}). A crash is
 * an agent whose link to the store is cut: its process goes on, nothing it does reaches the store.
 */
class FileDetectorEndToEndTest {
  private static final DetectorConfig CONFIG = DetectorConfig.DEFAULTS;
  private static final int WARM_UP_SECONDS = 30;

  private final DetectorWorld world = new DetectorWorld(CONFIG);

  @AfterEach
  void close() {
    world.close();
  }

  @Test
  void aCrashedAgentIsDeadWithinTheDocumentedBoundAndItsRestartIsReportedAsRestarted() {
    Worker steady = world.start("steady");
    Worker victim = world.start("victim");
    world.run(WARM_UP_SECONDS);
    assertThat(world.changes).as("steady agents").isEmpty();
    assertThat(world.detector.states()).containsEntry(steady.id, AgentState.ALIVE)
        .containsEntry(victim.id, AgentState.ALIVE);

    world.secondsUntil(() -> victim.lastStored == world.elapsedNanos(), 5);
    victim.link.fail(); // it crashes right after a stored beat
    long lastBeat = victim.lastStored;
    Duration bound = CONFIG.worstCaseDetection();
    world.secondsUntil(() -> world.state(victim.id) == AgentState.DEAD,
        (int) bound.toSeconds() + 5);
    assertThat(world.state(victim.id)).isEqualTo(AgentState.DEAD);
    assertThat(Duration.ofNanos(world.elapsedNanos() - lastBeat))
        .as("dead within %s of its last stored beat", bound).isLessThanOrEqualTo(bound);
    world.awaitChanges(2);
    List<AgentChange> changes = world.changesOf(victim.id);
    assertThat(changes).extracting(AgentChange::kind).containsExactly(Kind.SUSPECTED, Kind.DIED);
    AgentChange suspected = changes.get(0);
    assertThat(suspected.evidence().phi() >= CONFIG.phiThreshold()
        || suspected.evidence().lastBeatAge().compareTo(CONFIG.hardTimeout()) >= 0)
        .as("suspected on evidence: %s", suspected.evidence()).isTrue();
    assertThat(suspected.evidence().expectedInterval())
        .isBetween(Duration.ofMillis(4500), Duration.ofMillis(5500));
    // DEAD a round after SUSPECT at the soonest (the silence past the fleet's learned tail),
    // after the grace at the latest
    assertThat(changes.get(1).evidence().lastBeatAge())
        .isGreaterThanOrEqualTo(suspected.evidence().lastBeatAge().plus(CONFIG.pollInterval()))
        .isLessThanOrEqualTo(suspected.evidence().lastBeatAge().plus(CONFIG.suspicionGrace())
            .plus(CONFIG.pollInterval()));

    Worker again = world.start(victim.id); // a new process: a new run of the same agent
    world.second();
    world.awaitChanges(3);
    AgentChange back = world.changesOf(victim.id).get(2);
    assertThat(back.kind()).isEqualTo(Kind.RECOVERED);
    assertThat(back.recovery()).isEqualTo(Recovery.RESTARTED);
    assertThat(back.from()).isEqualTo(AgentState.DEAD);
    assertThat(back.incarnation()).isEqualTo(again.agent.incarnation())
        .isNotEqualTo(victim.agent.incarnation());

    world.run(WARM_UP_SECONDS);
    assertThat(world.state(victim.id)).isEqualTo(AgentState.ALIVE);
    assertThat(world.changes).as("nobody else, nothing more").hasSize(3);
  }

  @Test
  void aCutOffAgentThatComesBackInTheSameRunIsAFalseAlarm() {
    Worker slow = world.start("slow");
    world.run(WARM_UP_SECONDS);
    slow.link.fail();
    world.secondsUntil(() -> world.state(slow.id) == AgentState.SUSPECT, 20);
    assertThat(world.state(slow.id)).isEqualTo(AgentState.SUSPECT);

    slow.link.heal(); // its next attempt, after its backoff, gets through
    int maxBackoff = (int) slow.agent.config().maxBackoff().toSeconds();
    world.secondsUntil(() -> world.state(slow.id) == AgentState.ALIVE, 2 * maxBackoff);
    assertThat(world.state(slow.id)).isEqualTo(AgentState.ALIVE);
    Await.until("the recovery told", () -> world.changesOf(slow.id).stream()
        .anyMatch(c -> c.kind() == Kind.RECOVERED));
    List<AgentChange> changes = world.changesOf(slow.id);
    assertThat(changes.get(0).kind()).isEqualTo(Kind.SUSPECTED);
    AgentChange last = changes.get(changes.size() - 1);
    assertThat(last.kind()).isEqualTo(Kind.RECOVERED);
    assertThat(last.recovery()).isEqualTo(Recovery.FALSE_ALARM);
    assertThat(last.incarnation()).isEqualTo(slow.agent.incarnation());
    assertThat(world.changes).as("nobody else").hasSameSizeAs(changes);
  }

  @Test
  void aStuckAgentIsStalledWithinStallAfterPlusOneTickAndResumesWithProgress() {
    Worker busy = world.start("busy");
    Worker idle = world.start("idle");
    long progressStored = 0;
    for (int step = 1; step <= 6; step++) {
      busy.agent.working("task-1", "step " + step);
      long stored = busy.stored();
      world.secondsUntil(() -> busy.stored() > stored, 6);
      progressStored = busy.lastStored;
    }
    assertThat(world.changes).isEmpty();

    Duration stallAfter = CONFIG.stallAfter();
    world.secondsUntil(() -> world.state(busy.id) == AgentState.STALLED,
        (int) stallAfter.toSeconds() + 5);
    assertThat(world.state(busy.id)).isEqualTo(AgentState.STALLED);
    assertThat(Duration.ofNanos(world.elapsedNanos() - progressStored))
        .as("stalled within stallAfter plus one tick of the last progress stored")
        .isBetween(stallAfter, stallAfter.plus(CONFIG.pollInterval()));
    assertThat(world.state(idle.id)).as("an idle agent is never stalled")
        .isEqualTo(AgentState.ALIVE);

    world.run(60);
    assertThat(world.state(busy.id)).as("it still beats: stalled, not suspect")
        .isEqualTo(AgentState.STALLED);
    busy.agent.working("task-1", "step 7");
    world.secondsUntil(() -> world.state(busy.id) == AgentState.ALIVE, 6);
    world.awaitChanges(2);
    assertThat(world.changes).extracting(AgentChange::agentId, AgentChange::kind)
        .containsExactly(tuple(busy.id, Kind.STALLED), tuple(busy.id, Kind.RESUMED));
  }

  @Test
  void aGracefulCloseIsLeftNeverDead() {
    Worker leaving = world.start("leaving");
    Worker shutdown = world.start("shutdown");
    world.run(WARM_UP_SECONDS);
    leaving.agent.close(); // the agent alone
    shutdown.engine.close(); // its whole process
    world.second();
    assertThat(world.detector.states()).containsEntry(leaving.id, AgentState.LEFT)
        .containsEntry(shutdown.id, AgentState.LEFT);

    world.run(4 * (int) CONFIG.worstCaseDetection().toSeconds());
    assertThat(world.detector.states()).containsEntry(leaving.id, AgentState.LEFT)
        .containsEntry(shutdown.id, AgentState.LEFT);
    world.awaitChanges(2);
    assertThat(world.changes).extracting(AgentChange::kind).containsOnly(Kind.LEFT).hasSize(2);
    AgentView row = world.watcher.registry().agent(leaving.id).orElseThrow();
    assertThat(row.state()).isEqualTo(AgentState.LEFT);
    assertThat(row.status()).isEqualTo(AgentStatus.LEFT);
    assertThat(row.incarnation()).isEqualTo(leaving.agent.incarnation());
  }
}
