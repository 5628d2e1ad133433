package dev.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heartbeat.file.FileStore;
import dev.heartbeat.tck.Await;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code heartbeat monitor} on a file store: it serves {@code /status} as the same document
 * {@code status --json} prints (ages aside, read a moment apart), needs the token from the
 * environment variable named, and stops when interrupted.
 */
class MonitorCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> AGES = List.of("storeTime", "lastBeatAgeMillis",
      "progressAgeMillis", "nextBeatInMillis", "ageMillis", "expiresInMillis");

  @TempDir
  Path dir;

  @Test
  void servesTheStatusDocumentOfStatusJsonBehindTheToken() throws Exception {
    try (FileStore store = FileStore.open(dir)) {
      Records.agent(store, "worker-1", "task-1", 3);
      Records.lease(store, "orchestrator", "candidate-1", Duration.ofHours(1));
    }
    String uri = "file:" + dir;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Cli cli = new Cli(new PrintWriter(out, true), new PrintWriter(err, true),
        Map.of("HB_TOKEN", "token-of-the-test"), Cli.Pacer.REAL, new Ansi(false));
    AtomicInteger code = new AtomicInteger(-1);
    Thread running = Thread.ofPlatform().start(() -> code.set(Main.run(cli, "monitor",
        "--store", uri, "--port", "0", "--token-env", "HB_TOKEN")));
    try (HttpClient http = HttpClient.newHttpClient()) {
      Pattern listening = Pattern.compile("on http://127\\.0\\.0\\.1:(\\d+)/");
      Await.until("the monitor to listen: " + out + err, () -> listening.matcher(out.toString())
          .find() || !running.isAlive());
      Matcher m = listening.matcher(out.toString());
      assertThat(m.find()).as(out + "\n" + err).isTrue();
      URI status = URI.create("http://127.0.0.1:" + m.group(1) + "/status");

      assertThat(http.send(HttpRequest.newBuilder(status).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
      HttpResponse<String> served = http.send(HttpRequest.newBuilder(status)
          .header("Authorization", "Bearer token-of-the-test").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(served.statusCode()).isEqualTo(200);
      CliRun printed = CliRun.run("status", "--store", uri, "--json");
      assertThat(withoutAges(served.body())).isEqualTo(withoutAges(printed.out()));
      assertThat(served.body()).contains("\"worker-1\"", "\"orchestrator\"");
    } finally {
      running.interrupt();
      running.join(10_000);
    }
    assertThat(running.isAlive()).isFalse();
    assertThat(code.get()).as(err.toString()).isZero();
  }

  @Test
  void aTokenVariableThatIsNotSetIsAUsageError() {
    CliRun r = CliRun.run("monitor", "--store", "file:" + dir, "--token-env", "NOT_SET");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--token-env NOT_SET: the environment variable is not set");
  }

  @Test
  void withAnAlertmanagerTheMonitorStartsTheNotifierAndStopsItWhenInterrupted() throws Exception {
    try (FileStore store = FileStore.open(dir)) {
      Records.agent(store, "worker-1", "task-1", 3);
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Cli cli = new Cli(new PrintWriter(out, true), new PrintWriter(err, true), Map.of(),
        Cli.Pacer.REAL, new Ansi(false));
    AtomicInteger code = new AtomicInteger(-1);
    // nothing listens on port 1: the notifier runs, elected, its posts failing
    Thread running = Thread.ofPlatform().start(() -> code.set(Main.run(cli, "monitor",
        "--store", "file:" + dir, "--port", "0", "--alertmanager", "http://127.0.0.1:1")));
    try (FileStore store = FileStore.open(dir)) {
      Await.until("the notifier lease held: " + out + err, () -> store.lease("notifier")
          .filter(l -> l.holder().startsWith("heartbeat-monitor-")
              && !l.expiredAt(java.time.Instant.now())).isPresent() || !running.isAlive());
      assertThat(out.toString()).as(err.toString()).contains("alerts: http://127.0.0.1:1");
      running.interrupt();
      running.join(10_000);
      assertThat(running.isAlive()).isFalse();
      assertThat(code.get()).as(err.toString()).isZero();
      assertThat(store.lease("notifier").filter(l -> !l.expiredAt(java.time.Instant.now())))
          .as("released when the monitor stopped").isEmpty();
    } finally {
      running.interrupt();
      running.join(10_000);
    }
  }

  @Test
  void anAlertmanagerThatIsNotAnHttpUrlIsAUsageErrorNamingIt() throws Exception {
    try (FileStore store = FileStore.open(dir)) {
      Records.agent(store, "worker-1", "task-1", 3);
    }
    CliRun r = CliRun.run("monitor", "--store", "file:" + dir, "--port", "0",
        "--alertmanager", "ftp://127.0.0.1:9093");
    assertThat(r.code()).as(r.both()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("alertmanager must be an http or https URL", "ftp://127.0.0.1:9093")
        .doesNotContain("Unknown option");
  }

  @Test
  void aStoreThatIsNotThereIsExit4AndCreatesNothing() {
    Path missing = dir.resolve("nothing-here");
    CliRun r = CliRun.run("monitor", "--store", "file:" + missing, "--port", "0");
    assertThat(r.code()).as(r.both()).isEqualTo(ExitCodes.MISSING);
    assertThat(missing).doesNotExist();
  }

  private static JsonNode withoutAges(String doc) throws Exception {
    JsonNode root = JSON.readTree(doc);
    strip(root);
    return root;
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode o) {
      AGES.forEach(o::remove);
    }
    node.forEach(MonitorCommandTest::strip);
  }
}
