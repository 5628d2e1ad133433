package dev.heartbeat.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentState;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.file.FileStore;
import dev.heartbeat.tck.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in Debian's headless Chromium, on real time: a worker process
 * ({@link WorkerChild}, a child JVM) beats into a file store this test's engine watches; the
 * page loads and shows it ALIVE; {@code destroyForcibly()} kills it, and the same page turns it
 * SUSPECT and then DEAD, with no reload (a mark set on the page's window survives, and an
 * observer installed at load saw every state in order). Screenshots go to {@code target/}.
 * Bounds are generous; the outcomes are asserted, not how fast they come.
 */
class DashboardBrowserTest {
  static final Duration INTERVAL = Duration.ofSeconds(1);
  static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void aKilledWorkerTurnsSuspectThenDeadOnThePageWithoutAReload(@TempDir Path dir)
      throws Exception {
    Path storeDir = dir.resolve("store");
    try (FileStore store = FileStore.builder(storeDir).build();
        Heartbeats hb = Heartbeats.builder().store(store).holderId("m1")
            .closeTimeout(Duration.ofSeconds(5)).build()) {
      hb.detector(DetectorConfig.forInterval(INTERVAL));
      Process worker = WorkerChild.start(dir, storeDir, "worker-7", 1, INTERVAL);
      try (Monitor monitor = Monitor.builder(hb).port(0).storeName("file:worker-store")
          .lease("leader").start();
          HeartbeatAgent pacer = hb.agent("pacer").interval(INTERVAL).start();
          WebDriver browser = new WebDriver(dir.resolve("chromedriver.log"))) {
        hb.leases().tryAcquire("leader", Duration.ofSeconds(60)).orElseThrow();
        Path log = dir.resolve("worker-7-1.log");
        Await.until("worker-7 beating (log " + log + ")",
            () -> WorkerChild.lines(log).contains("BEATING"), WAIT);
        Await.until("the detector to see both alive",
            () -> state(hb, "worker-7") == AgentState.ALIVE
                && state(hb, "pacer") == AgentState.ALIVE, WAIT);
        browser.open("http://127.0.0.1:" + monitor.port() + "/");
        Await.until("the page to show both agents ALIVE", () -> "ALIVE".equals(
            shown(browser, "worker-7")) && "ALIVE".equals(shown(browser, "pacer")), WAIT);
        browser.run("""
            window.__notReloaded = true;
            window.__seen = [];
            const note = () => {
              const td = document.querySelector('#agents tr[data-agent="worker-7"] td[data-state]');
              const s = td ? td.dataset.state : null;
              if (s && window.__seen[window.__seen.length - 1] !== s) window.__seen.push(s);
            };
            note();
            new MutationObserver(note).observe(document.querySelector('#agents'),
                { subtree: true, childList: true, attributes: true });
            return true;""");
        assertThat(browser.run("return document.querySelector('#leases tbody').textContent;")
            .asText()).contains("leader", "m1");
        browser.screenshot(Path.of("target/dashboard-alive.png"));

        assertThat(worker.destroyForcibly().waitFor(30, TimeUnit.SECONDS)).isTrue();
        Await.until("SUSPECT or DEAD on the page", () -> !"ALIVE".equals(
            shown(browser, "worker-7")), WAIT);
        if ("SUSPECT".equals(shown(browser, "worker-7"))) {
          browser.screenshot(Path.of("target/dashboard-suspect.png"));
        }
        Await.until("DEAD on the page", () -> "DEAD".equals(shown(browser, "worker-7")), WAIT);
        assertThat(state(hb, "worker-7")).isEqualTo(AgentState.DEAD);
        assertThat(browser.run("return window.__notReloaded === true;").asBoolean())
            .as("the page was not reloaded").isTrue();
        // a loaded machine may pause the worker into SUSPECT and back before it is killed
        assertThat(browser.run("return window.__seen.join(' ');").asText())
            .as("the states worker-7 showed on the page, in order").startsWith("ALIVE")
            .endsWith("ALIVE SUSPECT DEAD").containsOnlyOnce("DEAD");
        assertThat(browser.run("return document.getElementById('feed').textContent;").asText())
            .contains("worker-7: ALIVE → SUSPECT", "worker-7: SUSPECT → DEAD");
        assertThat(shown(browser, "pacer")).isEqualTo("ALIVE");
        browser.screenshot(Path.of("target/dashboard.png"));
      } finally {
        worker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  private static AgentState state(Heartbeats hb, String id) {
    return hb.detector().state(id).orElse(null);
  }

  /** The state the page shows for {@code agent}, or null while it shows none. */
  private static String shown(WebDriver browser, String agent) {
    try {
      var v = browser.run("const r = document.querySelector('#agents tr[data-agent=\""
          + agent + "\"] td[data-state]'); return r ? r.dataset.state : null;");
      return v.isNull() ? null : v.asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
