package dev.heartbeat.micrometer;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.ManualTime;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real engine on a memory store and a manual clock, a real Prometheus registry, and readers of
 * the exposition text. Time moves a second at a time, paced by a pacer agent's beats (one a
 * second), so that every loop of the engine ran before the next move.
 */
final class MetricsRig implements AutoCloseable {
  final ManualTime time = new ManualTime();
  final MemoryStore store = new MemoryStore(time, 100);
  final Heartbeats hb = Heartbeats.builder().store(store).time(time).holderId("m1")
      .closeTimeout(Duration.ofSeconds(5)).build();
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

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
      long beats = pacer.diagnostics().beats().succeeded();
      time.advance(Duration.ofSeconds(1));
      Await.until(pacer.id() + "'s beat after " + time.elapsed(),
          () -> pacer.diagnostics().beats().succeeded() > beats);
    }
    Await.until(what, done, Duration.ofSeconds(10));
  }

  String scrape() {
    return registry.scrape();
  }

  /** The value of one series of the exposition text, or fails naming the series. */
  static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    if (!m.find()) {
      throw new AssertionError("no series " + series + " in the exposition:\n" + scrape);
    }
    return Double.parseDouble(m.group(1));
  }

  /** How many series of this name (with any tags) the exposition has. */
  static long count(String scrape, String name) {
    return scrape.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .count();
  }

  @Override
  public void close() {
    hb.close();
    registry.close();
  }
}
