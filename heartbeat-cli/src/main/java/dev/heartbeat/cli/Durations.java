package dev.heartbeat.cli;

import dev.heartbeat.spi.Checks;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/** Reads durations such as {@code 500ms}, {@code 3s}, {@code 2m} or {@code PT3S}; prints them short. */
final class Durations implements CommandLine.ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  static Duration parse(String value) {
    try {
      return Checks.duration("value", value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  /** {@code 0.3s}, {@code 12s}, {@code 3m04s}, {@code 2h05m}; negative values get a minus. */
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
