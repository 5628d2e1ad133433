package dev.heartbeat.monitor;

import static dev.heartbeat.monitor.AlertmanagerRealTest.firing;
import static dev.heartbeat.monitor.AlertmanagerRealTest.freePort;
import static dev.heartbeat.monitor.AlertmanagerRealTest.received;
import static dev.heartbeat.monitor.AlertmanagerRealTest.start;
import static dev.heartbeat.monitor.AlertmanagerRealTest.stop;
import static dev.heartbeat.monitor.AlertmanagerRealTest.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.tck.Await;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two notifier processes ({@link NotifierChild}, child JVMs) on one file store and a real
 * Alertmanager: a worker process ({@link WorkerChild}) killed with {@code destroyForcibly()}
 * pages once, not twice, both at the webhook and in Alertmanager's own count of alerts
 * received; killing the process that sent, the other takes the notifier lease and re-sends
 * what fires, and Alertmanager dedups it. Real time, generous bounds, outcomes asserted.
 */
class AlertmanagerNotifierProcessTest {
  static final Duration INTERVAL = Duration.ofMillis(500);
  static final Duration LEASE_TTL = Duration.ofSeconds(6);
  static final Duration WAIT = Duration.ofSeconds(90);
  /** Real time given to a second sender to show, were there one. */
  static final Duration WINDOW = Duration.ofSeconds(5);

  @Test
  void twoNotifierProcessesPageOnceAndTheOtherTakesOverWhenTheSenderIsKilled(
      @TempDir Path dir) throws Exception {
    Path storeDir = dir.resolve("store");
    try (AlertReceiver hook = new AlertReceiver()) {
      int port = freePort();
      String url = "http://127.0.0.1:" + port;
      Process am = start(dir, port, hook);
      Process a = null;
      Process b = null;
      Process worker = null;
      try {
        Await.until("Alertmanager up", () -> received(url) == 0, WAIT);
        a = notifier(dir, storeDir, "notifier-a", url);
        b = notifier(dir, storeDir, "notifier-b", url);
        Path logA = dir.resolve("notifier-a.log");
        Path logB = dir.resolve("notifier-b.log");
        Await.until("one notifier elected (" + logA + ", " + logB + ")",
            () -> sending(logA) || sending(logB), WAIT);
        boolean aSends = sending(logA);
        Process sender = aSends ? a : b;
        Path senderLog = aSends ? logA : logB;
        Path otherLog = aSends ? logB : logA;

        worker = WorkerChild.start(dir, storeDir, "worker-7", 1, INTERVAL);
        Await.until("worker-7 alive for both notifiers", () -> "ALIVE".equals(state(logA))
            && "ALIVE".equals(state(logB)), WAIT);
        // a loaded machine may pause the worker past its bounds before it is killed, which
        // pages (and resolves) too, so the kill's notifications are counted from here
        long sentBefore = last(senderLog, "SENT");
        long receivedBefore = received(url);
        long firingBefore = firing(hook, "worker-7");
        assertThat(worker.destroyForcibly().waitFor(30, TimeUnit.SECONDS)).isTrue();
        Await.until("worker-7 dead for both notifiers", () -> "DEAD".equals(state(logA))
            && "DEAD".equals(state(logB)), WAIT);
        Await.until("the sender's post", () -> last(senderLog, "SENT") > sentBefore, WAIT);
        Await.until("a firing notification at the webhook",
            () -> firing(hook, "worker-7") > firingBefore, WAIT);
        Thread.sleep(WINDOW.toMillis()); // time for a second sender to show, were there one
        String evidence = evidence(url, dir);
        assertThat(sending(otherLog)).as("the other notifier sends; %s", evidence).isFalse();
        assertThat(last(otherLog, "SENT")).as("posts by the notifier without the lease; %s",
            evidence).isZero();
        // the sender may post the alert more than once (a resend after a pause of this loaded
        // machine); what counts is that every post Alertmanager received came from it
        long sent = last(senderLog, "SENT") - sentBefore;
        assertThat(sent).as("posts by the sender; %s", evidence).isPositive();
        assertThat(last(senderLog, "FAILED")).isZero();
        assertThat(received(url) - receivedBefore).as("alerts Alertmanager received, all of them"
            + " the sender's; %s", evidence).isEqualTo(sent);
        assertThat(firing(hook, "worker-7") - firingBefore)
            .as("firing notifications at the webhook; %s", evidence).isEqualTo(1);
        assertThat(webhook(hook, "firing").path("labels").path("agent").asText())
            .isEqualTo("worker-7");

        long receivedBeforeTakeover = received(url);
        assertThat(sender.destroyForcibly().waitFor(30, TimeUnit.SECONDS)).isTrue();
        Await.until("the other takes over and re-sends what fires (" + otherLog + ")",
            () -> sending(otherLog) && last(otherLog, "SENT") > 0, WAIT);
        Await.until("Alertmanager received it from the new sender",
            () -> received(url) > receivedBeforeTakeover, WAIT);
        assertThat(last(otherLog, "FAILED")).isZero();
        assertThat(firing(hook, "worker-7") - firingBefore)
            .as("the same alert, not paged again; %s", evidence(url, dir)).isEqualTo(1);
      } finally {
        for (Process p : new Process[] {worker, a, b}) {
          if (p != null) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          }
        }
        stop(am);
      }
    }
  }

  /** What Alertmanager holds and what the children printed, for a failure's message. */
  private static String evidence(String url, Path dir) {
    StringBuilder b = new StringBuilder("received " + received(url) + ", alerts ");
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
      b.append(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
          url + "/api/v2/alerts")).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
          .body());
    } catch (IOException | InterruptedException e) {
      b.append(e);
    }
    for (String id : List.of("notifier-a", "notifier-b")) {
      b.append("\n").append(id).append(": ").append(WorkerChild.lines(dir.resolve(id + ".log")));
    }
    return b.toString();
  }

  private static Process notifier(Path dir, Path storeDir, String id, String url)
      throws IOException {
    return WorkerChild.child(dir.resolve(id + ".log"), NotifierChild.class, storeDir.toString(),
        id, url, Long.toString(INTERVAL.toMillis()), Long.toString(LEASE_TTL.toMillis()),
        "worker-7");
  }

  /** The last state of worker-7 the child printed, or null before it printed one. */
  private static String state(Path log) {
    return WorkerChild.lines(log).stream().filter(l -> l.startsWith("STATE worker-7 "))
        .map(l -> l.substring("STATE worker-7 ".length())).reduce((x, y) -> y).orElse(null);
  }

  private static boolean sending(Path log) {
    List<String> s = WorkerChild.lines(log).stream().filter(l -> l.startsWith("SENDING "))
        .toList();
    return !s.isEmpty() && s.getLast().equals("SENDING true");
  }

  /** The last figure the child printed after {@code key}, or -1 before it printed one. */
  private static long last(Path log, String key) {
    return WorkerChild.lines(log).stream().filter(l -> l.matches(key + " [0-9]+"))
        .map(l -> Long.parseLong(l.substring(key.length() + 1))).reduce((x, y) -> y).orElse(-1L);
  }
}
