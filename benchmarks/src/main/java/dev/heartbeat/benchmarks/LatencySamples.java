package dev.heartbeat.benchmarks;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/** Latencies in nanoseconds, at most a fixed number (later ones are dropped); thread-safe adds. */
final class LatencySamples {
  private final long[] values;
  private final AtomicInteger size = new AtomicInteger();

  LatencySamples(int max) {
    values = new long[max];
  }

  void add(long nanos) {
    int i = size.getAndIncrement();
    if (i < values.length) {
      values[i] = nanos;
    }
  }

  /** The samples kept, sorted. */
  long[] sorted() {
    long[] out = Arrays.copyOf(values, Math.min(size.get(), values.length));
    Arrays.sort(out);
    return out;
  }
}
