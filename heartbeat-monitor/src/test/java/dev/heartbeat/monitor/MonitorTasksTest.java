package dev.heartbeat.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.TaskResult;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskWorker;
import dev.heartbeat.tck.Await;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The queues a monitor follows: {@code /tasks} shows their counts and the blocked tasks with
 * their last error, and changed counts arrive as {@code tasks} events.
 */
class MonitorTasksTest {

  @Test
  void blockedTasksShowWithTheirErrorAndCountsArriveAsEvents() throws Exception {
    try (MonitorRig rig = new MonitorRig(b -> b.queue("jobs").taskPoll(Duration.ofMillis(50)))) {
      HeartbeatAgent pacer = rig.agent("pacer");
      List<String> lines = new CopyOnWriteArrayList<>();
      HttpResponse<Stream<String>> r = rig.http.send(HttpRequest.newBuilder(rig.uri("/events"))
          .build(), HttpResponse.BodyHandlers.ofLines());
      Thread reader = Thread.ofVirtual().start(() -> r.body().forEach(lines::add));
      rig.hb.tasks("jobs").submit(TaskSpec.of("t-blocked", "{}"));
      rig.hb.tasks("jobs").submit(TaskSpec.of("t-done", "{}"));
      try (TaskWorker worker = rig.hb.worker("w1").queue("jobs")
          .handler(ctx -> ctx.taskId().equals("t-blocked")
              ? TaskResult.blocked("disk full on /data") : TaskResult.done()).start()) {
        rig.until("one blocked, one done", 60, pacer, () -> {
          var c = rig.hb.tasks("jobs").counts();
          return c.of(TaskState.BLOCKED) == 1 && c.of(TaskState.DONE) == 1;
        });
      }
      String doc = rig.get("/tasks").body();
      assertThat(doc).contains("\"name\":\"jobs\"", "\"BLOCKED\":1", "\"DONE\":1",
          "\"id\":\"t-blocked\"", "\"error\":\"disk full on /data\"");
      Await.until("a tasks event with the blocked count", () -> lines.stream().anyMatch(
          l -> l.contains("\"queue\":\"jobs\"") && l.contains("\"BLOCKED\":1")));
      reader.interrupt();
    }
  }
}
