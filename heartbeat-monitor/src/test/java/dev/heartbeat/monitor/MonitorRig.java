package dev.heartbeat.monitor;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.ManualTime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A real engine on a memory store and a manual clock, a real monitor on a free loopback port,
 * and a real HTTP client. Time moves a second at a time, paced by a pacer agent's beats.
 */
final class MonitorRig implements AutoCloseable {
  static final String SHOWN = "memory:monitor-test";
  final ManualTime time;
  final MemoryStore store;
  final Heartbeats hb;
  final Monitor monitor;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  MonitorRig() {
    this(b -> b);
  }

  MonitorRig(UnaryOperator<MonitorBuilder> settings) {
    this(java.time.Instant.now(), settings);
  }

  /** With the manual clock's wall time starting at {@code origin}. */
  MonitorRig(java.time.Instant origin, UnaryOperator<MonitorBuilder> settings) {
    time = new ManualTime(origin);
    store = new MemoryStore(time, 100);
    hb = Heartbeats.builder().store(store).time(time).holderId("m1")
        .closeTimeout(Duration.ofSeconds(5)).build();
    monitor = settings.apply(Monitor.builder(hb).port(0).storeName(SHOWN)).start();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + monitor.port() + path);
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  HeartbeatAgent agent(String id) {
    HeartbeatAgent a = hb.agent(id).interval(Duration.ofSeconds(1)).start();
    Await.until(id + "'s first beat", () -> a.diagnostics().beats().succeeded() > 0);
    return a;
  }

  /** An agent that beat once, straight into the store, and never again. */
  void ghost(String id) {
    store.register(new Beat(id, "i1", 0, Optional.empty(), AgentStatus.IDLE,
        OptionalDouble.empty(), Optional.empty(), false, Optional.empty()));
  }

  /** Moves time a second at a time, each after the pacer's beat of the last, until done. */
  void until(String what, int maxSeconds, HeartbeatAgent pacer, BooleanSupplier done) {
    for (int s = 0; s < maxSeconds && !done.getAsBoolean(); s++) {
      second(pacer);
    }
    Await.until(what, done, Duration.ofSeconds(10));
  }

  /** Moves time {@code seconds} seconds, a second at a time, each after the pacer's beat. */
  void run(int seconds, HeartbeatAgent pacer) {
    for (int s = 0; s < seconds; s++) {
      second(pacer);
    }
  }

  private void second(HeartbeatAgent pacer) {
    long beats = pacer.diagnostics().beats().succeeded();
    time.advance(Duration.ofSeconds(1));
    Await.until(pacer.id() + "'s beat after " + time.elapsed(),
        () -> pacer.diagnostics().beats().succeeded() > beats);
  }

  @Override
  public void close() {
    monitor.close();
    hb.close();
    http.close();
  }
}
