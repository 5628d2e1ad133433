package dev.heartbeat.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.AgentState;
import dev.heartbeat.CallStats;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Lease;
import dev.heartbeat.TaskResult;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskWorker;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The alert rules, fed by a real engine on a memory store and a manual clock: each condition
 * fires with its labels and evidence, and resolves when it is over.
 */
class AlertRulesTest {
  static final Optional<String> PAGE = Optional.of("http://127.0.0.1:8080/");

  private static AlertRules rules(ManualTime time) {
    return new AlertRules(time, Map.of("team", "ops"), PAGE, Duration.ofSeconds(30),
        Duration.ofSeconds(20));
  }

  private static Optional<Alert> named(AlertRules rules, String name) {
    return rules.alerts().stream().filter(a -> a.name().equals(name)).findFirst();
  }

  /** Moves the manual clock n seconds, each after the pacer's beat. */
  private static void seconds(MonitorRig rig, HeartbeatAgent pacer, int n) {
    int[] moved = {0};
    rig.until(n + " seconds", n + 1, pacer, () -> moved[0]++ >= n);
  }

  @Test
  void aDeadAgentFiresWithItsEvidenceAndResolvesWhenItBeatsAgain() {
    try (MonitorRig rig = new MonitorRig()) {
      AlertRules rules = rules(rig.time);
      try (AlertFeed feed = new AlertFeed(rig.hb, rules, List.of(), List.of(), List.of(),
          Duration.ofMillis(20))) {
        HeartbeatAgent pacer = rig.agent("pacer");
        rig.ghost("worker-7");
        rig.until("worker-7 dead", 120, pacer,
            () -> rig.hb.detector().state("worker-7").orElse(null) == AgentState.DEAD);
        dev.heartbeat.tck.Await.until("a dead alert",
            () -> named(rules, AlertRules.DEAD).isPresent());
        Alert dead = named(rules, AlertRules.DEAD).orElseThrow();
        assertThat(dead.labels()).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
            "alertname", "HeartbeatAgentDead", "agent", "worker-7", "severity", "critical",
            "team", "ops")));
        assertThat(dead.firing()).isTrue();
        assertThat(dead.annotations()).containsKeys("beat_age", "phi", "summary")
            .containsEntry("transition", "SUSPECT -> DEAD (DIED)");
        assertThat(dead.generatorUrl()).isEqualTo(PAGE);
        assertThat(rules.firing()).extracting(Alert::name).containsExactly(AlertRules.DEAD);

        rig.store.register(new dev.heartbeat.spi.Beat("worker-7", "i2", 0, Optional.empty(),
            dev.heartbeat.AgentStatus.IDLE, java.util.OptionalDouble.empty(), Optional.empty(),
            false, Optional.empty()));
        rig.until("worker-7 alive", 30, pacer,
            () -> rig.hb.detector().state("worker-7").orElse(null) == AgentState.ALIVE);
        dev.heartbeat.tck.Await.until("the dead alert resolved",
            () -> !named(rules, AlertRules.DEAD).orElseThrow().firing());
        Alert over = named(rules, AlertRules.DEAD).orElseThrow();
        assertThat(over.startsAt()).isEqualTo(dead.startsAt());
        assertThat(over.resolvedAt().orElseThrow()).isAfter(dead.startsAt());
        assertThat(rules.firing()).isEmpty();
      }
    }
  }

  @Test
  void aLeaseWithNoHolderFiresOnlyAfterTheBoundAndResolvesWhenTaken() {
    try (MonitorRig rig = new MonitorRig()) {
      AlertRules rules = rules(rig.time);
      Lease l = rig.hb.leases().tryAcquire("orchestrator", Duration.ofSeconds(10)).orElseThrow();
      try (AlertFeed feed = new AlertFeed(rig.hb, rules, List.of("orchestrator"), List.of(),
          List.of(), Duration.ofMillis(20))) {
        HeartbeatAgent pacer = rig.agent("pacer");
        assertThat(rig.hb.leases().release(l)).isTrue();
        seconds(rig, pacer, 25);
        assertThat(named(rules, AlertRules.NO_LEADER)).isEmpty();
        rig.until("a no-leader alert after the bound", 30, pacer,
            () -> named(rules, AlertRules.NO_LEADER).isPresent());
        Alert a = named(rules, AlertRules.NO_LEADER).orElseThrow();
        assertThat(a.labels()).containsEntry("lease", "orchestrator")
            .containsEntry("severity", "critical").containsEntry("team", "ops");
        assertThat(a.annotations().get("summary")).contains("no holder");

        rig.hb.leases().tryAcquire("orchestrator", Duration.ofSeconds(10)).orElseThrow();
        rig.until("the no-leader alert resolved", 30, pacer,
            () -> !named(rules, AlertRules.NO_LEADER).orElseThrow().firing());
      }
    }
  }

  @Test
  void aBlockedTaskFiresWithItsReasonAndAttemptsAndResolvesOnRetry() throws Exception {
    try (MonitorRig rig = new MonitorRig()) {
      AlertRules rules = rules(rig.time);
      try (AlertFeed feed = new AlertFeed(rig.hb, rules, List.of(), List.of("jobs"), List.of(),
          Duration.ofMillis(20))) {
        HeartbeatAgent pacer = rig.agent("pacer");
        rig.hb.tasks("jobs").submit(TaskSpec.of("t-blocked", "{}"));
        try (TaskWorker worker = rig.hb.worker("w1").queue("jobs")
            .handler(ctx -> TaskResult.blocked("disk full on /data")).start()) {
          rig.until("a blocked alert", 60, pacer,
              () -> named(rules, AlertRules.BLOCKED).isPresent());
        }
        Alert a = named(rules, AlertRules.BLOCKED).orElseThrow();
        assertThat(a.labels()).containsEntry("queue", "jobs").containsEntry("task", "t-blocked")
            .containsEntry("severity", "warning");
        assertThat(a.annotations()).containsEntry("reason", "disk full on /data");
        assertThat(a.annotations().get("attempts")).startsWith("1 attempt(s); last: #1 w1");

        rig.hb.tasks("jobs").retry("t-blocked").orElseThrow();
        assertThat(rig.hb.tasks("jobs").task("t-blocked").orElseThrow().state())
            .isNotEqualTo(TaskState.BLOCKED);
        rig.until("the blocked alert resolved", 30, pacer,
            () -> !named(rules, AlertRules.BLOCKED).orElseThrow().firing());
      }
    }
  }

  @Test
  void beatsFailingLongerThanTheBoundFireStoreDegradedWithTheLastError() {
    ManualTime time = new ManualTime();
    AlertRules rules = rules(time);
    CallStats failing = CallStats.NONE.failure(new RuntimeException("connection refused"));
    rules.beatsSeen("worker-7", failing);
    time.advance(Duration.ofSeconds(19));
    rules.evaluate();
    assertThat(rules.alerts()).isEmpty();
    time.advance(Duration.ofSeconds(1));
    rules.beatsSeen("worker-7", failing.failure(new RuntimeException("connection refused")));
    rules.evaluate();
    Alert a = named(rules, AlertRules.DEGRADED).orElseThrow();
    assertThat(a.labels()).containsEntry("agent", "worker-7");
    assertThat(a.annotations()).containsEntry("last_error", "connection refused")
        .containsEntry("consecutive_failures", "2");
    rules.beatsSeen("worker-7", failing.success(time.instant()));
    assertThat(named(rules, AlertRules.DEGRADED).orElseThrow().resolvedAt())
        .contains(time.instant());
  }

  @Test
  void aStalledAgentFiresAsAWarningAndResolvesWhenItResumes() {
    ManualTime time = new ManualTime();
    AlertRules rules = rules(time);
    dev.heartbeat.AgentChange.Evidence ev = new dev.heartbeat.AgentChange.Evidence(
        Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1), Duration.ZERO);
    rules.agentChanged(new dev.heartbeat.AgentChange("worker-7", "i1", AgentState.ALIVE,
        AgentState.STALLED, dev.heartbeat.AgentChange.Kind.STALLED, null, ev, time.instant()));
    Alert a = named(rules, AlertRules.STALLED).orElseThrow();
    assertThat(a.labels()).containsEntry("agent", "worker-7").containsEntry("severity", "warning");
    assertThat(a.annotations()).containsEntry("phi", "0.5").containsEntry("beat_age", "PT1S");
    time.advance(Duration.ofSeconds(5));
    rules.agentChanged(new dev.heartbeat.AgentChange("worker-7", "i1", AgentState.STALLED,
        AgentState.ALIVE, dev.heartbeat.AgentChange.Kind.RESUMED, null, ev, time.instant()));
    assertThat(named(rules, AlertRules.STALLED).orElseThrow().resolvedAt())
        .contains(time.instant());
    assertThat(rules.firing()).isEmpty();
  }

  @Test
  void aResolvedAlertIsKeptFifteenMinutesThenForgotten() {
    ManualTime time = new ManualTime();
    AlertRules rules = rules(time);
    rules.leaseSeen("l", Optional.empty());
    time.advance(Duration.ofSeconds(30));
    rules.evaluate();
    rules.leaseSeen("l", Optional.of(new Lease("l", "m1", 1, time.instant(), time.instant(),
        time.instant().plusSeconds(10), 1)));
    time.advance(AlertRules.RESOLVED_KEPT);
    rules.evaluate();
    assertThat(rules.alerts()).hasSize(1);
    time.advance(Duration.ofSeconds(1));
    rules.evaluate();
    assertThat(rules.alerts()).isEmpty();
  }

  @Test
  void atMostMaxAlertsAreHeldTheOldestDroppedWithACount() {
    ManualTime time = new ManualTime();
    AlertRules rules = rules(time);
    for (int i = 0; i <= AlertRules.MAX_ALERTS; i++) {
      rules.leaseSeen("l-" + i, Optional.empty());
    }
    time.advance(Duration.ofSeconds(30));
    rules.evaluate();
    assertThat(rules.alerts()).hasSize(AlertRules.MAX_ALERTS);
    assertThat(rules.dropped()).isEqualTo(1);
  }

  @Test
  void userLabelNamesFollowAlertmanagersRule() {
    ManualTime time = new ManualTime();
    assertThatThrownBy(() -> new AlertRules(time, Map.of("bad-name", "x"), PAGE,
        Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels")
        .hasMessageContaining("bad-name");
    assertThatThrownBy(() -> new AlertRules(time, Map.of("9lives", "x"), PAGE,
        Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("9lives");
    assertThat(new AlertRules(time, Map.of("_ok_9", "x"), PAGE, Duration.ofSeconds(1),
        Duration.ofSeconds(1)).alerts()).isEmpty();
  }
}
