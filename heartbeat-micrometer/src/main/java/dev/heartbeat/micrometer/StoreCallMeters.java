package dev.heartbeat.micrometer;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.StoreCallListener;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code heartbeat.store.calls{operation, result}}: a timer of every store call of the engine,
 * fed by {@link Heartbeats#onStoreCall}, with histogram buckets at fixed latencies so that
 * Prometheus can compute quantiles ({@code histogram_quantile}) across processes. A timer is
 * registered at the first call of its operation and result; past {@value #MAX_SERIES} of them
 * (the engine's operations are a fixed set of about twenty, so never in practice) further
 * operations are timed as {@code operation="other"}.
 */
final class StoreCallMeters implements StoreCallListener {
  static final int MAX_SERIES = 100;
  static final String NAME = "heartbeat.store.calls";

  private final Meters meters;
  private final Duration[] buckets;
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
  private volatile Subscription subscription;

  StoreCallMeters(Meters meters, Duration[] buckets) {
    this.meters = meters;
    this.buckets = buckets.clone();
  }

  void bind(Heartbeats hb) {
    subscription = hb.onStoreCall(this);
  }

  @Override
  public void completed(String operation, Result result, Duration latency) {
    String r = result.name().toLowerCase(Locale.ROOT);
    String key = operation + " " + r;
    Timer timer = timers.get(key);
    if (timer == null) {
      if (timers.size() >= MAX_SERIES) {
        key = "other " + r;
        operation = "other";
      }
      String op = operation;
      timer = timers.computeIfAbsent(key, k -> meters.timer(NAME, "store calls of the engine by "
          + "operation and result, from their start to the store's answer on the engine's clock",
          Tags.of("operation", op, "result", r), buckets));
    }
    timer.record(latency);
  }

  void close() {
    Subscription s = subscription;
    if (s != null) {
      s.close();
    }
  }
}
