package dev.heartbeat.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.heartbeat.tck.Await;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** One Alertmanager's queue: bounded, the oldest dropped and counted, never blocking offer. */
class AlertSenderTest {

  @Test
  void aFullQueueDropsTheOldestWithACountWhileAPostHangs() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", ex -> {
      received.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
    try (HttpClient http = HttpClient.newHttpClient();
        AlertSender s = new AlertSender(URI.create("http://127.0.0.1:"
            + server.getAddress().getPort()), http, Duration.ofSeconds(20), 2)) {
      assertThat(s.uri().getPath()).isEqualTo("/api/v2/alerts");
      s.offer("[1]");
      Await.until("the first post in flight", () -> received.size() == 1);
      s.offer("[2]");
      s.offer("[3]");
      s.offer("[4]");
      assertThat(s.dropped()).isEqualTo(2);
      release.countDown();
      Await.until("the rest posted", () -> received.size() == 3);
      assertThat(received).containsExactly("[1]", "[3]", "[4]");
      Await.until("all counted", () -> s.sent() == 3);
      assertThat(s.failures()).isZero();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void failuresAreLoggedOncePerChangeOfStateNotOncePerPost() throws Exception {
    RecordingLogger log = new RecordingLogger("AlertSender");
    try (AlertReceiver am = new AlertReceiver(); HttpClient http = HttpClient.newHttpClient();
        AlertSender s = new AlertSender(URI.create(am.url()), http, Duration.ofSeconds(10), 10,
            log)) {
      am.failFirst.set(4);
      s.offer("[1]");
      Await.until("posted past four failures", () -> s.sent() == 1, Duration.ofSeconds(30));
      assertThat(s.failures()).isEqualTo(4);
      assertThat(log.at(Level.WARN)).as(log.lines.toString()).singleElement().asString()
          .contains("cannot send alerts to " + s.uri(), "status 503");
      assertThat(log.at(Level.INFO)).as(log.lines.toString()).singleElement().asString()
          .contains("sending alerts to " + s.uri() + " works again");

      am.failFirst.set(3);
      s.offer("[2]");
      Await.until("posted past three more", () -> s.sent() == 2, Duration.ofSeconds(30));
      assertThat(s.failures()).isEqualTo(7);
      assertThat(log.at(Level.WARN)).as("one line per outage").hasSize(2);
      assertThat(log.at(Level.INFO)).as("one line per recovery").hasSize(2);
    }
  }

  @Test
  void noAnswerIsLoggedOnceAtWarnEachRetryOnlyAtDebug() throws Exception {
    RecordingLogger log = new RecordingLogger("AlertSender");
    int closed;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      closed = free.getLocalPort();
    }
    try (HttpClient http = HttpClient.newHttpClient();
        AlertSender s = new AlertSender(URI.create("http://127.0.0.1:" + closed), http,
            Duration.ofSeconds(10), 10, log)) {
      s.offer("[1]");
      Await.until("three refused connections", () -> s.failures() >= 3, Duration.ofSeconds(30));
      assertThat(log.at(Level.WARN)).as(log.lines.toString()).singleElement().asString()
          .contains("cannot send alerts", "status -1");
      assertThat(log.at(Level.DEBUG)).hasSizeGreaterThanOrEqualTo(3);
      assertThat(log.at(Level.INFO)).isEmpty();
    }
  }

  @Test
  void rejectionsAreLoggedOnceUntilABatchIsAccepted() throws Exception {
    RecordingLogger log = new RecordingLogger("AlertSender");
    try (AlertReceiver am = new AlertReceiver(); HttpClient http = HttpClient.newHttpClient();
        AlertSender s = new AlertSender(URI.create(am.url()), http, Duration.ofSeconds(10), 10,
            log)) {
      am.rejectFirst.set(3);
      s.offer("[1]");
      s.offer("[2]");
      s.offer("[3]");
      Await.until("three rejected", () -> s.rejected() == 3, Duration.ofSeconds(30));
      assertThat(log.at(Level.WARN)).as(log.lines.toString()).singleElement().asString()
          .contains("rejected alerts with 400", "[1]");
      s.offer("[4]");
      Await.until("one accepted", () -> s.sent() == 1, Duration.ofSeconds(30));
      assertThat(log.at(Level.INFO)).as(log.lines.toString()).singleElement().asString()
          .contains("accepts alerts again");
      assertThat(log.at(Level.WARN)).hasSize(1);
      assertThat(s.failures()).isZero();
    }
  }
}
