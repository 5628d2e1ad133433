package dev.heartbeat.monitor;

import static dev.heartbeat.monitor.AlertmanagerRealTest.freePort;
import static dev.heartbeat.monitor.AlertmanagerRealTest.start;
import static dev.heartbeat.monitor.AlertmanagerRealTest.stop;
import static dev.heartbeat.monitor.AlertmanagerRealTest.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.heartbeat.AgentState;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.file.FileStore;
import dev.heartbeat.tck.Await;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker killed in the test: a child JVM ({@link WorkerChild}) beats into a file store that
 * this test's engine watches with a fast detector on real time; {@code destroyForcibly()} kills
 * it, and the real Alertmanager's webhook hears the firing alert with the agent's labels; the
 * same agent started again in a new process resolves it. Bounds are generous; the outcomes are
 * what is asserted, not how fast they come.
 */
class AlertmanagerWorkerProcessTest {
  static final Duration INTERVAL = Duration.ofMillis(200);
  static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void aKilledWorkerProcessPagesAndItsRestartResolves(@TempDir Path dir) throws Exception {
    Path storeDir = dir.resolve("store");
    try (AlertReceiver hook = new AlertReceiver();
        FileStore store = FileStore.builder(storeDir).build();
        Heartbeats hb = Heartbeats.builder().store(store).holderId("orchestrator")
            .closeTimeout(Duration.ofSeconds(5)).build()) {
      hb.detector(DetectorConfig.forInterval(INTERVAL));
      int port = freePort();
      Process am = start(dir, port, hook);
      Process worker = null;
      try (AlertmanagerNotifier n = AlertmanagerNotifier.builder(hb)
          .alertmanager("http://127.0.0.1:" + port).resendInterval(Duration.ofSeconds(10))
          .label("team", "ops").poll(Duration.ofMillis(50)).start()) {
        Await.until("elected", n::sending, WAIT);
        worker = worker(dir, storeDir, "worker-7", 1);
        Await.until("worker-7 alive", () -> state(hb, "worker-7") == AgentState.ALIVE, WAIT);

        assertThat(worker.destroyForcibly().waitFor(30, TimeUnit.SECONDS)).isTrue();
        Await.until("worker-7 dead", () -> state(hb, "worker-7") == AgentState.DEAD, WAIT);
        Await.until("a firing webhook", () -> webhook(hook, "firing") != null, WAIT);
        JsonNode firing = webhook(hook, "firing");
        assertThat(firing.path("labels").path("alertname").asText()).isEqualTo(AlertRules.DEAD);
        assertThat(firing.path("labels").path("agent").asText()).isEqualTo("worker-7");
        assertThat(firing.path("labels").path("severity").asText()).isEqualTo("critical");
        assertThat(firing.path("labels").path("team").asText()).isEqualTo("ops");
        assertThat(firing.path("annotations").path("summary").asText()).contains("dead");
        assertThat(webhook(hook, "resolved")).as("nothing resolved yet").isNull();

        worker = worker(dir, storeDir, "worker-7", 2);
        Await.until("worker-7 alive again", () -> state(hb, "worker-7") == AgentState.ALIVE,
            WAIT);
        Await.until("a resolved webhook", () -> webhook(hook, "resolved") != null, WAIT);
        JsonNode resolved = webhook(hook, "resolved");
        assertThat(resolved.path("labels").path("agent").asText()).isEqualTo("worker-7");
        assertThat(resolved.path("startsAt").asText()).isEqualTo(firing.path("startsAt")
            .asText());
        assertThat(n.failures()).isZero();
      } finally {
        if (worker != null) {
          worker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        stop(am);
      }
    }
  }

  private static AgentState state(Heartbeats hb, String id) {
    return hb.detector().state(id).orElse(null);
  }

  private static Process worker(Path dir, Path storeDir, String id, int run) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xmx96m", "-cp",
        System.getProperty("java.class.path"), WorkerChild.class.getName(), storeDir.toString(),
        id, Long.toString(INTERVAL.toMillis()))
        .redirectErrorStream(true).redirectOutput(dir.resolve(id + "-" + run + ".log").toFile())
        .start();
  }
}
