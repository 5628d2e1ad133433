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
}
