package dev.heartbeat.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToDoubleFunction;

/**
 * The meters one {@link HeartbeatMetrics} registered in one registry, so that it can remove
 * exactly those. Their number is bounded by the binder's handles and its per-agent cap.
 */
final class Meters {
  static final String SECONDS = "seconds";

  private final MeterRegistry registry;
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Meter> meters = new ArrayList<>();
  private boolean closed; // after removeAll: a meter added late is removed at once

  Meters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A gauge that holds its source strongly (the source is often a small lambda holder). */
  <T> Meter gauge(String name, String description, String unit, Tags tags, T source,
      ToDoubleFunction<T> value) {
    return add(Gauge.builder(name, source, value).description(description).baseUnit(unit)
        .tags(tags).strongReference(true).register(registry));
  }

  /**
   * A counter read from a monotonic count of {@code source}; Micrometer holds the source weakly,
   * so the binder keeps it.
   */
  <T> Meter counter(String name, String description, Tags tags, T source,
      ToDoubleFunction<T> count) {
    return add(FunctionCounter.builder(name, source, count).description(description).tags(tags)
        .register(registry));
  }

  /** A timer with these buckets (service-level objectives) for Prometheus histograms. */
  Timer timer(String name, String description, Tags tags, Duration[] buckets) {
    Timer timer = Timer.builder(name).description(description).tags(tags)
        .serviceLevelObjectives(buckets).register(registry);
    add(timer);
    return timer;
  }

  void remove(Meter meter) {
    lock.lock();
    try {
      meters.remove(meter);
    } finally {
      lock.unlock();
    }
    registry.remove(meter);
  }

  /** Removes every meter registered through this object, and any registered later. */
  void removeAll() {
    List<Meter> all;
    lock.lock();
    try {
      closed = true;
      all = List.copyOf(meters);
      meters.clear();
    } finally {
      lock.unlock();
    }
    all.forEach(registry::remove);
  }

  int size() {
    lock.lock();
    try {
      return meters.size();
    } finally {
      lock.unlock();
    }
  }

  static double seconds(Duration d) {
    return d == null ? 0 : d.toNanos() / 1e9;
  }

  private Meter add(Meter meter) {
    boolean late;
    lock.lock();
    try {
      late = closed;
      if (!late) {
        meters.add(meter);
      }
    } finally {
      lock.unlock();
    }
    if (late) {
      registry.remove(meter);
    }
    return meter;
  }
}
