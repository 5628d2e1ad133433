package dev.heartbeat.micrometer;

import static dev.heartbeat.micrometer.MetricsRig.count;
import static dev.heartbeat.micrometer.MetricsRig.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentState;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Lease;
import dev.heartbeat.Leadership;
import dev.heartbeat.LeadershipListener;
import dev.heartbeat.TaskQueue;
import dev.heartbeat.TaskResult;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskWorker;
import dev.heartbeat.tck.Await;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The meters in a real Prometheus exposition after real work of a real engine: beats, an
 * election, a detector verdict, a worker running tasks.
 */
class HeartbeatMetricsTest {
  private final MetricsRig rig = new MetricsRig();

  @AfterEach
  void close() {
    rig.close();
  }

  @Test
  void everyMeterShowsWithItsTagsAndPlausibleValuesAfterRealWork() throws Exception {
    HeartbeatAgent a1 = rig.agent("a1");
    Leadership leader = rig.hb.leases().elect("leader", LeadershipListener.of(l -> { },
        (l, r) -> { }));
    assertThat(leader.awaitLeadership(Duration.ofSeconds(10))).isTrue();
    TaskQueue jobs = rig.hb.tasks("jobs");
    for (int i = 1; i <= 3; i++) {
      jobs.submit(TaskSpec.of("t" + i, "p"));
    }
    TaskWorker w1 = rig.hb.worker("w1").queue("jobs").concurrency(2)
        .handler(ctx -> TaskResult.done()).interval(Duration.ofSeconds(1))
        .pollInterval(Duration.ofSeconds(1)).claimTtl(Duration.ofSeconds(6)).start();
    rig.ghost("ghost");

    try (HeartbeatMetrics metrics = HeartbeatMetrics.builder(rig.hb).agent(a1)
        .leadership(leader).lease("leader").worker(w1).queue("jobs").refreshEvery(Duration.ofHours(1))
        .build()) {
      metrics.bindTo(rig.registry);
      Await.until("the lease watch's first answer", metrics::watchesAnswered);
      rig.until("three tasks done and the ghost dead", 120, a1, () ->
          w1.stats().done() == 3
          && rig.hb.detector().state("ghost").orElse(null) == AgentState.DEAD);
      metrics.refresh();
      String s = rig.scrape();

      // beats and their store latency
      assertThat(value(s, "heartbeat_beats_total{agent=\"a1\",result=\"succeeded\"}"))
          .isGreaterThanOrEqualTo(10);
      assertThat(value(s, "heartbeat_beats_total{agent=\"a1\",result=\"failed\"}")).isZero();
      for (String stat : new String[] {"last", "mean", "max"}) {
        assertThat(value(s, "heartbeat_beat_latency_" + stat + "_seconds{agent=\"a1\"}"))
            .isBetween(0.0, 10.0);
      }
      // the ticker and store calls
      assertThat(value(s, "heartbeat_ticker_ticks_total")).isGreaterThanOrEqualTo(10);
      assertThat(value(s, "heartbeat_ticker_lateness_last_seconds")).isBetween(0.0, 10.0);
      assertThat(value(s, "heartbeat_ticker_lateness_max_seconds")).isBetween(0.0, 10.0);
      assertThat(value(s, "heartbeat_ticker_errors_total")).isZero();
      assertThat(value(s, "heartbeat_ticker_dropped_total")).isZero();
      assertThat(value(s, "heartbeat_store_calls_running")).isBetween(0.0, 10.0);
      assertThat(value(s, "heartbeat_store_calls_refused_total")).isZero();
      // every store call since the binding, timed by operation (no ids in the tags)
      for (String op : new String[] {"record_all", "renew_all", "agents_changed_since", "watch",
          "claim_tasks", "count_tasks"}) {
        assertThat(value(s, "heartbeat_store_calls_seconds_count{operation=\"" + op
            + "\",result=\"succeeded\"}")).as(op).isGreaterThanOrEqualTo(1);
      }
      assertThat(value(s, "heartbeat_store_calls_seconds_count{operation=\"record_all\","
          + "result=\"succeeded\"}")).isGreaterThanOrEqualTo(10);
      assertThat(s.lines().filter(l -> l.startsWith("heartbeat_store_calls_seconds")))
          .allSatisfy(l -> assertThat(l).contains("result=\"succeeded\""));
      // agents per detector state: one series per state, the ghost dead
      assertThat(count(s, "heartbeat_agents")).isEqualTo(AgentState.values().length);
      assertThat(value(s, "heartbeat_agents{state=\"dead\"}")).isEqualTo(1);
      double all = 0;
      for (AgentState state : AgentState.values()) {
        all += value(s, "heartbeat_agents{state=\"" + state.name().toLowerCase() + "\"}");
      }
      assertThat(all).isEqualTo(rig.hb.detector().states().size()).isGreaterThanOrEqualTo(3);
      // the election
      assertThat(value(s, "heartbeat_lease_held{lease=\"leader\"}")).isEqualTo(1);
      assertThat(value(s, "heartbeat_lease_remaining_seconds{lease=\"leader\"}"))
          .isGreaterThan(0).isLessThanOrEqualTo(leader.lease().orElseThrow().ttl().toSeconds());
      assertThat(value(s, "heartbeat_lease_elections_total{lease=\"leader\"}")).isEqualTo(1);
      assertThat(value(s, "heartbeat_lease_calls_total{lease=\"leader\",result=\"succeeded\"}"))
          .isGreaterThanOrEqualTo(2);
      assertThat(value(s, "heartbeat_lease_calls_total{lease=\"leader\",result=\"failed\"}"))
          .isZero();
      assertThat(value(s, "heartbeat_lease_latency_max_seconds{lease=\"leader\"}"))
          .isBetween(0.0, 10.0);
      // the watch's first answer was the held lease: a starting point, not a transition
      assertThat(value(s, "heartbeat_lease_token{lease=\"leader\"}")).isEqualTo(1);
      assertThat(value(s, "heartbeat_lease_transitions_total{lease=\"leader\",to=\"acquired\"}"))
          .isZero();
      // the worker
      assertThat(value(s, "heartbeat_task_claims_total{worker=\"w1\"}")).isEqualTo(3);
      assertThat(value(s, "heartbeat_task_attempts_total{outcome=\"done\",worker=\"w1\"}"))
          .isEqualTo(3);
      for (String outcome : new String[] {"failed", "timed_out", "stalled", "blocked",
          "cancelled", "released"}) {
        assertThat(value(s, "heartbeat_task_attempts_total{outcome=\"" + outcome
            + "\",worker=\"w1\"}")).isZero();
      }
      assertThat(value(s, "heartbeat_task_running{worker=\"w1\"}")).isZero();
      assertThat(value(s, "heartbeat_task_reassignments_total{reason=\"worker_lost\","
          + "worker=\"w1\"}")).isZero();
      assertThat(value(s, "heartbeat_task_fenced_out_total{worker=\"w1\"}")).isZero();
      assertThat(value(s, "heartbeat_task_self_fenced_total{worker=\"w1\"}")).isZero();
      // the queue, as of the refresh
      assertThat(value(s, "heartbeat_tasks{queue=\"jobs\",state=\"done\"}")).isEqualTo(3);
      assertThat(value(s, "heartbeat_tasks{queue=\"jobs\",state=\"inbox\"}")).isZero();
      assertThat(value(s, "heartbeat_tasks{queue=\"jobs\",state=\"in_progress\"}")).isZero();

      // giving the lease up shows at the next scrape
      leader.close();
      String after = rig.scrape();
      assertThat(value(after, "heartbeat_lease_held{lease=\"leader\"}")).isZero();
      assertThat(value(after, "heartbeat_lease_remaining_seconds{lease=\"leader\"}")).isZero();
      rig.until("the watch sees the lease free", 20, a1, () -> value(rig.scrape(),
          "heartbeat_lease_transitions_total{lease=\"leader\",to=\"free\"}") == 1);
      assertThat(value(rig.scrape(), "heartbeat_lease_token{lease=\"leader\"}")).isZero();
    }
  }

  @Test
  void leaseTransitionsOfAWatchedLeaseAreCountedWhoeverHoldsIt() {
    HeartbeatAgent a1 = rig.agent("a1");
    try (HeartbeatMetrics metrics = HeartbeatMetrics.builder(rig.hb).lease("job-lock")
        .refreshEvery(Duration.ofHours(1)).build()) {
      metrics.bindTo(rig.registry);
      String acquired = "heartbeat_lease_transitions_total{lease=\"job-lock\",to=\"acquired\"}";
      String free = "heartbeat_lease_transitions_total{lease=\"job-lock\",to=\"free\"}";
      // the watch's first answer is its starting point: the lease is taken after it
      Await.until("the watch's first answer", metrics::watchesAnswered);
      assertThat(value(rig.scrape(), acquired)).isZero();

      Lease first = rig.store.tryAcquire("job-lock", "other-process", Duration.ofSeconds(30))
          .orElseThrow();
      rig.until("the watch sees the lease taken", 20, a1,
          () -> value(rig.scrape(), acquired) == 1);
      assertThat(value(rig.scrape(), "heartbeat_lease_token{lease=\"job-lock\"}"))
          .isEqualTo(first.token());

      assertThat(rig.store.release("job-lock", "other-process", first.token())).isTrue();
      Lease second = rig.hb.leases().tryAcquire("job-lock").orElseThrow();
      rig.until("the watch sees the lease change hands", 20, a1,
          () -> value(rig.scrape(), acquired) == 2);
      assertThat(value(rig.scrape(), "heartbeat_lease_token{lease=\"job-lock\"}"))
          .isEqualTo(second.token());
      assertThat(rig.hb.leases().release(second)).isTrue();
      // a watch read under way when the lease changed hands may have seen it free in between
      rig.until("the watch sees the lease free", 20, a1, () -> value(rig.scrape(), free) >= 1
          && value(rig.scrape(), "heartbeat_lease_token{lease=\"job-lock\"}") == 0);
    }
  }
}
