package dev.heartbeat.redis;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.Lease;
import dev.heartbeat.ProgressEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Turns Redis hashes and stream entries into API records. A missing or malformed field throws
 * {@link Unreadable}, which the store reports once through its problems and skips. Instants are
 * stored as microseconds since the epoch of the store's clock.
 */
final class Records {
  private Records() {}

  /** A stored record that cannot be read. */
  static final class Unreadable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unreadable(String message) {
      super(message, null, false, false);
    }
  }

  static Heartbeat heartbeat(String agentId, Map<String, String> f) {
    try {
      double cpu = Double.parseDouble(required(f, "cpu"));
      return new Heartbeat(agentId, required(f, "inc"), number(f, "seq"),
          Optional.ofNullable(f.get("task")), AgentStatus.valueOf(required(f, "status")),
          cpu < 0 ? OptionalDouble.empty() : OptionalDouble.of(cpu),
          Optional.ofNullable(f.get("progress")),
          f.containsKey("pat") ? Optional.of(instant(number(f, "pat"))) : Optional.empty(),
          instant(number(f, "at")), interval(f));
    } catch (IllegalArgumentException e) {
      throw new Unreadable(e.getMessage());
    }
  }

  /** Field {@code iv}, microseconds; absent in a beat without one or written before it was kept. */
  private static Optional<Duration> interval(Map<String, String> f) {
    if (!f.containsKey("iv")) {
      return Optional.empty();
    }
    long micros = number(f, "iv");
    if (micros <= 0) {
      throw new Unreadable("field 'iv' is not positive: '" + micros + "'");
    }
    return Optional.of(Duration.of(micros, ChronoUnit.MICROS));
  }

  /** The stored form of a CPU utilisation: -1 when unknown, as every version writes it. */
  static String cpu(OptionalDouble cpu) {
    return Double.toString(cpu.orElse(-1));
  }

  /** Whole microseconds of {@code d}, rounded up so that a positive duration stays positive. */
  static long micros(Duration d) {
    long nanos = d.toNanos();
    return nanos / 1000 + (nanos % 1000 > 0 ? 1 : 0);
  }

  static ProgressEvent event(String agentId, Map<String, String> f) {
    try {
      return new ProgressEvent(agentId, required(f, "inc"), number(f, "seq"),
          Optional.ofNullable(f.get("task")), Optional.ofNullable(f.get("progress")),
          instant(number(f, "at")));
    } catch (IllegalArgumentException e) {
      throw new Unreadable(e.getMessage());
    }
  }

  static Lease lease(String name, Map<String, String> f) {
    try {
      return new Lease(name, required(f, "holder"), number(f, "token"),
          instant(number(f, "acquired")), instant(number(f, "renewed")),
          instant(number(f, "expires")), number(f, "transitions"));
    } catch (IllegalArgumentException e) {
      throw new Unreadable(e.getMessage());
    }
  }

  /** A lease from a script answer {@code [ok, token, acquired, renewed, expires, transitions]}. */
  static Lease lease(String name, String holder, java.util.List<Object> answer) {
    return new Lease(name, holder, Long.parseLong((String) answer.get(1)),
        instant(Long.parseLong((String) answer.get(2))), instant(Long.parseLong((String) answer.get(3))),
        instant(Long.parseLong((String) answer.get(4))), Long.parseLong((String) answer.get(5)));
  }

  static Instant instant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
        Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  private static String required(Map<String, String> f, String field) {
    String value = f.get(field);
    if (value == null || value.isEmpty()) {
      throw new Unreadable("field '" + field + "' is missing");
    }
    return value;
  }

  private static long number(Map<String, String> f, String field) {
    String value = required(f, field);
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new Unreadable("field '" + field + "' is not a number: '" + value + "'");
    }
  }
}
