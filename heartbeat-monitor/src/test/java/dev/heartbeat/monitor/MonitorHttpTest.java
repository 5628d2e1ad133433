package dev.heartbeat.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentState;
import dev.heartbeat.HeartbeatAgent;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The endpoints over real HTTP on a real engine: the status document is the one the CLI's code
 * path makes for the same store, metrics are Prometheus text 0.0.4, and bad requests get short
 * answers without stack traces.
 */
class MonitorHttpTest {

  @Test
  void statusIsTheDocumentTheCliPrintsForTheSameStore() {
    try (MonitorRig rig = new MonitorRig()) {
      rig.agent("worker-1");
      rig.ghost("ghost");
      rig.hb.leases().tryAcquire("leader", Duration.ofSeconds(30)).orElseThrow();
      HttpResponse<String> r = rig.get("/status");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
          t -> assertThat(t).startsWith("application/json"));
      String cli = StatusJson.of(Snapshot.read(rig.store, MonitorRig.SHOWN,
          new BoundsRule(Thresholds.DEFAULTS, BoundsRule.DEFAULT_INTERVAL)));
      assertThat(r.body()).isEqualTo(cli);
      assertThat(r.body()).contains("\"format\" : \"heartbeat-status/1\"", "\"worker-1\"",
          "\"ghost\"", "\"leader\"");
    }
  }

  @Test
  void healthzAndMetricsInPrometheusText004() {
    try (MonitorRig rig = new MonitorRig()) {
      rig.agent("worker-1");
      assertThat(rig.get("/healthz").body()).isEqualTo("ok\n");
      HttpResponse<String> m = rig.get("/metrics");
      assertThat(m.statusCode()).isEqualTo(200);
      assertThat(m.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(m.body()).contains("# TYPE heartbeat_agents gauge",
          "heartbeat_agents{state=\"dead\"}", "# TYPE heartbeat_ticker_ticks_total counter");
    }
  }

  @Test
  void unknownPathsAre404OtherMethods405AndHeadHasNoBody() {
    try (MonitorRig rig = new MonitorRig()) {
      HttpResponse<String> missing = rig.get("/nope/../../etc/passwd");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.body()).doesNotContain("Exception", "\tat ");
      HttpResponse<String> post = rig.send(HttpRequest.newBuilder(rig.uri("/status"))
          .POST(HttpRequest.BodyPublishers.ofString("x")).build());
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
      HttpResponse<String> head = rig.send(HttpRequest.newBuilder(rig.uri("/status"))
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
    }
  }

  @Test
  void withATokenEveryPathNeedsIt() {
    try (MonitorRig rig = new MonitorRig(b -> b.token("s3cret-token"))) {
      for (String path : new String[] {"/", "/status", "/metrics", "/events", "/healthz", "/x"}) {
        assertThat(rig.get(path).statusCode()).as(path).isEqualTo(401);
      }
      HttpResponse<String> wrong = rig.send(HttpRequest.newBuilder(rig.uri("/status"))
          .header("Authorization", "Bearer s3cret-tokem").build());
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.body()).doesNotContain("s3cret");
      HttpResponse<String> right = rig.send(HttpRequest.newBuilder(rig.uri("/status"))
          .header("Authorization", "Bearer s3cret-token").build());
      assertThat(right.statusCode()).isEqualTo(200);
      assertThat(rig.get("/healthz?token=s3cret-token").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theDashboardIsOneSelfContainedPageWithTheDetectorsBounds() {
    try (MonitorRig rig = new MonitorRig()) {
      HttpResponse<String> page = rig.get("/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      long suspect = rig.hb.detector().config().hardTimeout().toMillis();
      assertThat(page.body()).contains("<script>", "<style>", "new EventSource(\"/events\"",
          "\"suspectMillis\":" + suspect).doesNotContain("/*BOUNDS*/", "src=\"http",
          "href=\"http", "<script src", "<link ");
    }
  }

  @Test
  void detectorDocumentCarriesTheRunningDetectorsStates() {
    try (MonitorRig rig = new MonitorRig()) {
      HeartbeatAgent pacer = rig.agent("pacer");
      rig.ghost("ghost");
      rig.until("ghost dead", 60, pacer,
          () -> rig.hb.detector().state("ghost").orElse(null) == AgentState.DEAD);
      assertThat(rig.get("/detector").body()).contains("\"ghost\":\"DEAD\"",
          "\"pacer\":\"ALIVE\"");
    }
  }
}
