package dev.heartbeat.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentState;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.tck.Await;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's {@code prometheus}, started here on a free loopback port with a
 * temporary configuration and storage) scrapes the monitor's {@code /metrics} every second; the
 * test reads a heartbeat series back through Prometheus's HTTP API. It fails, never skips, when
 * the binary is missing ({@code .ci/run} installs it).
 */
class PrometheusScrapeTest {
  static final Path PROMETHEUS = Path.of(System.getProperty("heartbeat.prometheus",
      "/usr/bin/prometheus"));

  @Test
  void prometheusScrapesMetricsAndAnswersWithTheDeadAgentsSeries(@TempDir Path dir)
      throws Exception {
    assertThat(Files.isExecutable(PROMETHEUS)).as("Prometheus at " + PROMETHEUS
        + " (apt-get install prometheus; .ci/run does)").isTrue();
    try (MonitorRig rig = new MonitorRig()) {
      HeartbeatAgent pacer = rig.agent("pacer");
      rig.ghost("ghost");
      rig.until("ghost dead", 60, pacer,
          () -> rig.hb.detector().state("ghost").orElse(null) == AgentState.DEAD);
      rig.until("the dead ghost in /metrics", 60, pacer,
          () -> rig.get("/metrics").body().contains("heartbeat_agents{state=\"dead\"} 1.0"));

      int port = freePort();
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(config, """
          global:
            scrape_interval: 1s
            scrape_timeout: 1s
          scrape_configs:
            - job_name: heartbeat
              metrics_path: /metrics
              static_configs:
                - targets: ['127.0.0.1:%d']
          """.formatted(rig.monitor.port()));
      Path log = dir.resolve("prometheus.log");
      Process p = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
          "--storage.tsdb.path=" + dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + port)
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        String query = "http://127.0.0.1:" + port + "/api/v1/query?query="
            + URLEncoder.encode("heartbeat_agents{job=\"heartbeat\",state=\"dead\"}",
                StandardCharsets.UTF_8);
        String[] answer = new String[1];
        Await.until("Prometheus to answer the scraped series (log: " + log + ")", () -> {
          if (!p.isAlive()) {
            throw new AssertionError("Prometheus exited " + p.exitValue() + ": " + read(log));
          }
          answer[0] = ask(rig, query);
          return answer[0] != null && answer[0].contains("\"value\":[")
              && answer[0].contains(",\"1\"]");
        }, Duration.ofSeconds(60));
        assertThat(answer[0]).contains("\"status\":\"success\"", "\"__name__\":\"heartbeat_agents\"",
            "\"instance\":\"127.0.0.1:" + rig.monitor.port() + "\"");
      } finally {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  private static String ask(MonitorRig rig, String uri) {
    try {
      HttpResponse<String> r = rig.http.send(HttpRequest.newBuilder(java.net.URI.create(uri))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException e) {
      return null; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
