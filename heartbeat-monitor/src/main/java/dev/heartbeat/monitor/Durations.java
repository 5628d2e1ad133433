package dev.heartbeat.monitor;

import java.time.Duration;
import java.util.Locale;

/** Prints durations short, as the CLI does: {@code 0.3s}, {@code 12s}, {@code 3m04s}, {@code 2h05m}. */
final class Durations {
  private Durations() {}

  static String format(Duration d) {
    if (d == null) {
      return "-";
    }
    if (d.isNegative()) {
      return "-" + format(d.negated());
    }
    long millis = d.toMillis();
    if (millis < 10_000) {
      return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
