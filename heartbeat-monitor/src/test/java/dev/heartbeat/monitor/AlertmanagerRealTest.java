package dev.heartbeat.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.heartbeat.AgentState;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.tck.Await;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Alertmanager (Debian's {@code prometheus-alertmanager}, clustering off, on a free
 * loopback port) with a webhook receiver served here: a dead agent pages, its return tells it is
 * over, and an Alertmanager down during the failure still gets the alert once it starts. The
 * engine's clock is manual and starts five minutes in the past, so that a resolution instant is
 * already past for Alertmanager; the resend interval is long so that a firing alert's
 * {@code endsAt} stays ahead of real time.
 */
class AlertmanagerRealTest {
  static final Path ALERTMANAGER = Path.of(System.getProperty("heartbeat.alertmanager",
      "/usr/bin/prometheus-alertmanager"));

  private static MonitorRig rig() {
    return new MonitorRig(Instant.now().minus(Duration.ofMinutes(5)), b -> b);
  }

  @Test
  void aDeadAgentPagesAndItsReturnResolves(@TempDir Path dir) throws Exception {
    try (MonitorRig rig = rig(); AlertReceiver hook = new AlertReceiver()) {
      int port = freePort();
      Process am = start(dir, port, hook);
      try (AlertmanagerNotifier n = AlertmanagerNotifier.builder(rig.hb)
          .alertmanager("http://127.0.0.1:" + port).resendInterval(Duration.ofMinutes(30))
          .label("team", "ops").poll(Duration.ofMillis(20)).start()) {
        HeartbeatAgent pacer = rig.agent("pacer");
        rig.until("elected", 30, pacer, n::sending);
        rig.ghost("worker-7");
        rig.until("worker-7 dead", 120, pacer,
            () -> rig.hb.detector().state("worker-7").orElse(null) == AgentState.DEAD);
        rig.until("the alert posted", 30, pacer, () -> n.sent() > 0);
        Await.until("a firing webhook", () -> webhook(hook, "firing") != null,
            Duration.ofSeconds(30));
        JsonNode firing = webhook(hook, "firing");
        assertThat(firing.path("labels").path("agent").asText()).isEqualTo("worker-7");
        assertThat(firing.path("labels").path("severity").asText()).isEqualTo("critical");
        assertThat(firing.path("labels").path("team").asText()).isEqualTo("ops");
        assertThat(firing.path("annotations").path("summary").asText()).contains("dead");

        rig.store.register(new Beat("worker-7", "i2", 0, Optional.empty(), AgentStatus.IDLE,
            OptionalDouble.empty(), Optional.empty(), false, Optional.empty()));
        rig.until("worker-7 alive", 30, pacer,
            () -> rig.hb.detector().state("worker-7").orElse(null) == AgentState.ALIVE);
        long before = n.sent();
        rig.until("the resolution posted", 30, pacer, () -> n.sent() > before);
        Await.until("a resolved webhook", () -> webhook(hook, "resolved") != null,
            Duration.ofSeconds(30));
        assertThat(webhook(hook, "resolved").path("labels").path("agent").asText())
            .isEqualTo("worker-7");
        assertThat(am.isAlive()).isTrue();
      } finally {
        stop(am);
      }
    }
  }

  @Test
  void anAlertmanagerDownDuringTheFailureGetsTheAlertOnceItStarts(@TempDir Path dir)
      throws Exception {
    try (MonitorRig rig = rig(); AlertReceiver hook = new AlertReceiver()) {
      int port = freePort();
      try (AlertmanagerNotifier n = AlertmanagerNotifier.builder(rig.hb)
          .alertmanager("http://127.0.0.1:" + port).resendInterval(Duration.ofMinutes(30))
          .poll(Duration.ofMillis(20)).start()) {
        HeartbeatAgent pacer = rig.agent("pacer");
        rig.until("elected", 30, pacer, n::sending);
        rig.ghost("worker-7");
        rig.until("worker-7 dead", 120, pacer,
            () -> rig.hb.detector().state("worker-7").orElse(null) == AgentState.DEAD);
        rig.until("a failed post", 30, pacer, () -> n.failures() > 0);
        Process am = start(dir, port, hook);
        try {
          Await.until("a firing webhook after the start", () -> webhook(hook, "firing") != null,
              Duration.ofSeconds(60));
          assertThat(webhook(hook, "firing").path("labels").path("agent").asText())
              .isEqualTo("worker-7");
        } finally {
          stop(am);
        }
      }
    }
  }

  @Test
  void aLostLeaderAndABlockedTaskReachTheWebhook(@TempDir Path dir) throws Exception {
    try (MonitorRig rig = rig(); AlertReceiver hook = new AlertReceiver()) {
      int port = freePort();
      Process am = start(dir, port, hook);
      dev.heartbeat.Lease lease = rig.hb.leases().tryAcquire("orchestrator",
          Duration.ofSeconds(10)).orElseThrow();
      try (AlertmanagerNotifier n = AlertmanagerNotifier.builder(rig.hb)
          .alertmanager("http://127.0.0.1:" + port).resendInterval(Duration.ofMinutes(30))
          .watchLease("orchestrator").noLeaderAfter(Duration.ofSeconds(10)).queue("jobs")
          .poll(Duration.ofMillis(20)).start()) {
        HeartbeatAgent pacer = rig.agent("pacer");
        rig.until("elected", 30, pacer, n::sending);
        assertThat(rig.hb.leases().release(lease)).isTrue();
        rig.hb.tasks("jobs").submit(dev.heartbeat.TaskSpec.of("t-blocked", "{}"));
        try (dev.heartbeat.TaskWorker w = rig.hb.worker("w1").queue("jobs")
            .handler(ctx -> dev.heartbeat.TaskResult.blocked("disk full")).start()) {
          rig.until("both posted", 60, pacer, () -> n.sent() > 0
              && rig.hb.tasks("jobs").counts().of(dev.heartbeat.TaskState.BLOCKED) == 1
              && rig.time.elapsed().compareTo(Duration.ofSeconds(20)) > 0);
        }
        rig.until("a later post", 10, pacer, () -> n.sent() > 1);
        Await.until("both at the webhook", () -> webhook(hook, "firing", AlertRules.NO_LEADER)
            != null && webhook(hook, "firing", AlertRules.BLOCKED) != null,
            Duration.ofSeconds(30));
        assertThat(webhook(hook, "firing", AlertRules.NO_LEADER).path("labels").path("lease")
            .asText()).isEqualTo("orchestrator");
        assertThat(webhook(hook, "firing", AlertRules.BLOCKED).path("labels").path("task")
            .asText()).isEqualTo("t-blocked");
      } finally {
        stop(am);
      }
    }
  }

  @Test
  void twoNotifiersOnOneStorePageOnceAndTheOtherTakesOverWhenTheSenderGoes(@TempDir Path dir)
      throws Exception {
    try (MonitorRig rig = rig(); AlertReceiver hook = new AlertReceiver();
        Heartbeats hb2 = Heartbeats.builder().store(rig.store).time(rig.time).holderId("m2")
            .closeTimeout(Duration.ofSeconds(5)).build()) {
      int port = freePort();
      Process am = start(dir, port, hook);
      String url = "http://127.0.0.1:" + port;
      AlertmanagerNotifier n1 = AlertmanagerNotifier.builder(rig.hb).alertmanager(url)
          .resendInterval(Duration.ofMinutes(30)).poll(Duration.ofMillis(20)).start();
      try (AlertmanagerNotifier n2 = AlertmanagerNotifier.builder(hb2).alertmanager(url)
          .resendInterval(Duration.ofMinutes(30)).poll(Duration.ofMillis(20)).start()) {
        HeartbeatAgent pacer = rig.agent("pacer");
        rig.until("one elected", 60, pacer, () -> n1.sending() || n2.sending());
        AlertmanagerNotifier sender = n1.sending() ? n1 : n2;
        AlertmanagerNotifier other = sender == n1 ? n2 : n1;
        Await.until("Alertmanager up", () -> received(url) == 0, Duration.ofSeconds(30));
        rig.ghost("worker-7");
        rig.until("worker-7 dead for both", 120, pacer,
            () -> rig.hb.detector().state("worker-7").orElse(null) == AgentState.DEAD
                && hb2.detector().state("worker-7").orElse(null) == AgentState.DEAD);
        rig.until("the alert posted", 30, pacer, () -> sender.sent() > 0);
        Await.until("a firing webhook", () -> webhook(hook, "firing") != null,
            Duration.ofSeconds(30));
        rig.run(5, pacer); // time for a second sender to show, were there one
        assertThat(other.sending()).isFalse();
        assertThat(other.sent()).as("posts by the notifier without the lease").isZero();
        assertThat(other.failures()).isZero();
        assertThat(sender.sent()).isEqualTo(1);
        assertThat(received(url)).as("alerts Alertmanager received").isEqualTo(1);
        assertThat(firing(hook, "worker-7")).as("firing notifications at the webhook")
            .isEqualTo(1);

        sender.close();
        rig.until("the other takes over and re-sends what fires", 120, pacer,
            () -> other.sending() && other.sent() > 0);
        Await.until("Alertmanager received it from the new sender", () -> received(url) == 2,
            Duration.ofSeconds(30));
        assertThat(other.failures()).isZero();
        assertThat(firing(hook, "worker-7")).as("the same alert, not paged again").isEqualTo(1);
      } finally {
        n1.close();
        stop(am);
      }
    }
  }

  /** Alertmanager's own count of firing alerts it received through the v2 API. */
  static long received(String url) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      String text = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
      return text.lines()
          .filter(l -> l.startsWith("alertmanager_alerts_received_total{status=\"firing\","
              + "version=\"v2\"}"))
          .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .findFirst().orElse(-1);
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** How many firing alerts for this agent the webhook was told of. */
  static long firing(AlertReceiver hook, String agent) {
    return hook.bodies.stream().flatMap(b -> java.util.stream.StreamSupport.stream(
        b.path("alerts").spliterator(), false))
        .filter(a -> "firing".equals(a.path("status").asText())
            && agent.equals(a.path("labels").path("agent").asText()))
        .count();
  }

  static JsonNode webhook(AlertReceiver hook, String status) {
    return webhook(hook, status, AlertRules.DEAD);
  }

  /** The first alert of a webhook post with this status, or null. */
  static JsonNode webhook(AlertReceiver hook, String status, String alertname) {
    for (JsonNode body : hook.bodies) {
      for (JsonNode a : body.path("alerts")) {
        if (status.equals(a.path("status").asText())
            && alertname.equals(a.path("labels").path("alertname").asText())) {
          return a;
        }
      }
    }
    return null;
  }

  static Process start(Path dir, int port, AlertReceiver hook) throws IOException {
    assertThat(Files.isExecutable(ALERTMANAGER)).as("Alertmanager at " + ALERTMANAGER
        + " (apt-get install prometheus-alertmanager; .ci/run does)").isTrue();
    Path config = dir.resolve("am.yml");
    Files.writeString(config, """
        route: {receiver: hook, group_by: [alertname, agent], group_wait: 1s, group_interval: 1s,
          repeat_interval: 1h}
        receivers: [{name: hook, webhook_configs: [{url: '%s/'}]}]
        """.formatted(hook.url()));
    Path log = dir.resolve("am.log");
    return new ProcessBuilder(ALERTMANAGER.toString(), "--config.file=" + config,
        "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
        "--cluster.listen-address=", "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
