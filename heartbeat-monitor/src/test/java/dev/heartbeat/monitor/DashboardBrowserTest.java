package dev.heartbeat.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentState;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.tck.Await;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in Debian's headless Chromium: it loads, shows the agents, and an agent whose
 * beats stop (as a killed worker's do) turns SUSPECT and then DEAD on the page, with no reload
 * (a mark set on the page's window survives). Screenshots go to {@code target/}.
 */
class DashboardBrowserTest {

  @Test
  void aKilledAgentTurnsSuspectThenDeadOnThePageWithoutAReload(@TempDir Path dir)
      throws Exception {
    try (MonitorRig rig = new MonitorRig(b -> b.lease("leader"));
        WebDriver browser = new WebDriver(dir.resolve("chromedriver.log"))) {
      HeartbeatAgent pacer = rig.agent("pacer");
      rig.ghost("worker-7");
      rig.hb.leases().tryAcquire("leader", Duration.ofSeconds(60)).orElseThrow();
      rig.until("the detector to see worker-7", 10, pacer,
          () -> rig.hb.detector().state("worker-7").isPresent());
      browser.open(rig.uri("/").toString());
      Await.until("the page to show both agents", () -> state(browser, "worker-7") != null
          && "ALIVE".equals(state(browser, "pacer")), Duration.ofSeconds(30));
      assertThat(state(browser, "worker-7")).isEqualTo("ALIVE");
      browser.run("window.__notReloaded = true; return true;");
      assertThat(browser.run("return document.querySelector('#leases tbody').textContent;")
          .asText()).contains("leader", "m1");
      browser.screenshot(Path.of("target/dashboard-alive.png"));

      rig.until("worker-7 suspect", 60, pacer,
          () -> rig.hb.detector().state("worker-7").orElse(null) == AgentState.SUSPECT);
      Await.until("SUSPECT on the page", () -> "SUSPECT".equals(state(browser, "worker-7")),
          Duration.ofSeconds(30));
      browser.screenshot(Path.of("target/dashboard-suspect.png"));

      rig.until("worker-7 dead", 60, pacer,
          () -> rig.hb.detector().state("worker-7").orElse(null) == AgentState.DEAD);
      Await.until("DEAD on the page", () -> "DEAD".equals(state(browser, "worker-7")),
          Duration.ofSeconds(30));
      assertThat(browser.run("return window.__notReloaded === true;").asBoolean())
          .as("the page was not reloaded").isTrue();
      assertThat(browser.run("return document.getElementById('feed').textContent;").asText())
          .contains("worker-7: ALIVE → SUSPECT", "worker-7: SUSPECT → DEAD");
      assertThat(state(browser, "pacer")).isEqualTo("ALIVE");
      browser.screenshot(Path.of("target/dashboard.png"));
    }
  }

  private static String state(WebDriver browser, String agent) {
    try {
      var v = browser.run("const r = document.querySelector('#agents tr[data-agent=\""
          + agent + "\"] td[data-state]'); return r ? r.dataset.state : null;");
      return v.isNull() ? null : v.asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
