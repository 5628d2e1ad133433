package dev.heartbeat.micrometer;

import static dev.heartbeat.micrometer.MetricsRig.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.TaskResult;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskWorker;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.FaultyStore;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code heartbeat.task.reassignments{worker, reason}}: a task claimed again, counted by the
 * worker that claims it, by how its previous attempt ended. Here one task's worker is cut off
 * from the store (its claim expires: {@code worker_lost}) and another fails once
 * ({@code failed}); a real engine, a real Prometheus registry.
 */
class ReassignmentsTest {
  private static final String REASSIGNED = "heartbeat_task_reassignments_total{reason=\"";

  private final MetricsRig rig = new MetricsRig();
  private final FaultyStore link = new FaultyStore(rig.store);
  private final Heartbeats cutOff = Heartbeats.builder().store(link).time(rig.time)
      .holderId("m2").closeTimeout(Duration.ofSeconds(2)).build();
  private final CountDownLatch never = new CountDownLatch(1);

  @AfterEach
  void close() {
    never.countDown();
    link.heal();
    cutOff.close();
    rig.close();
  }

  @Test
  void aTaskTakenOverOrRetriedIsCountedByTheReasonItsLastAttemptEnded() {
    HeartbeatAgent pacer = rig.agent("pacer");
    rig.hb.tasks("jobs").submit(TaskSpec.of("t-lost", "p"));
    TaskWorker w2 = cutOff.worker("w2").queue("jobs").concurrency(1)
        .handler(ctx -> {
          never.await(); // until interrupted when its claim is lost
          return TaskResult.done();
        }).interval(Duration.ofSeconds(1)).pollInterval(Duration.ofSeconds(1))
        .claimTtl(Duration.ofSeconds(6)).start();
    Await.until("w2 runs t-lost", () -> w2.stats().running() == 1);
    link.hang(); // w2 can renew nothing: its claim expires by the store's clock

    rig.hb.tasks("jobs").submit(TaskSpec.of("t-fail", "p"));
    TaskWorker w1 = rig.hb.worker("w1").queue("jobs").concurrency(2)
        .handler(ctx -> {
          if (ctx.taskId().equals("t-fail") && ctx.attempt() == 1) {
            throw new IllegalStateException("first attempt fails");
          }
          return TaskResult.done();
        }).interval(Duration.ofSeconds(1)).pollInterval(Duration.ofSeconds(1))
        .claimTtl(Duration.ofSeconds(6)).start();
    try (HeartbeatMetrics metrics = HeartbeatMetrics.builder(rig.hb).worker(w1)
        .refreshEvery(Duration.ofHours(1)).build()) {
      metrics.bindTo(rig.registry);
      rig.until("both tasks done by w1", 120, pacer, () -> w1.stats().done() == 2);

      assertThat(w1.stats().reassigned(AttemptOutcome.WORKER_LOST)).isEqualTo(1);
      assertThat(w1.stats().reassigned(AttemptOutcome.FAILED)).isEqualTo(1);
      assertThat(w1.stats().claimed()).isEqualTo(3);
      String s = rig.scrape();
      assertThat(value(s, REASSIGNED + "worker_lost\",worker=\"w1\"}")).isEqualTo(1);
      assertThat(value(s, REASSIGNED + "failed\",worker=\"w1\"}")).isEqualTo(1);
      for (String reason : new String[] {"timed_out", "stalled", "blocked", "fenced_out",
          "released"}) {
        assertThat(value(s, REASSIGNED + reason + "\",worker=\"w1\"}")).isZero();
      }
      assertThat(s).doesNotContain(REASSIGNED + "done\"")
          .doesNotContain(REASSIGNED + "cancelled\"");
    }
  }
}
