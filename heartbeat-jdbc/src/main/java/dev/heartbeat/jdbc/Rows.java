package dev.heartbeat.jdbc;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.Lease;
import dev.heartbeat.ProgressEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Reads rows into records. A row that cannot be a valid record (a null where a value must be,
 * an unknown status, a token below 1, an invalid id) throws {@link Unreadable}, which the
 * callers report through {@code StoreProblems} and skip.
 */
final class Rows {
  private Rows() {}

  /** A row that cannot be read; the message says why. */
  static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreadable(String message) {
      super(message, null, false, false);
    }
  }

  static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  static Instant instantOrNull(ResultSet rs, int column) throws SQLException {
    long micros = rs.getLong(column);
    return rs.wasNull() ? null : instant(micros);
  }

  /** Microseconds since the epoch of {@code at}. */
  static long micros(Instant at) {
    return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1000);
  }

  /** Whole microseconds of {@code d}, rounded up so that a positive duration stays positive. */
  static long micros(Duration d) {
    long nanos = d.toNanos();
    return nanos / 1000 + (nanos % 1000 > 0 ? 1 : 0);
  }

  /**
   * id/agent_id, incarnation, seq, task_id, status, cpu, progress, progress_at, interval_us, at.
   * A NULL interval (a one-shot beat, or a row written before the column) reads as none.
   */
  static Heartbeat heartbeat(ResultSet rs) throws SQLException, Unreadable {
    String agentId = rs.getString(1);
    String incarnation = required(rs.getString(2), "incarnation");
    long seq = requiredLong(rs, 3, "seq");
    String taskId = rs.getString(4);
    AgentStatus status = status(rs.getString(5));
    double cpu = rs.getDouble(6);
    if (rs.wasNull()) {
      throw new Unreadable("cpu is null");
    }
    String progress = rs.getString(7);
    Instant progressAt = instantOrNull(rs, 8);
    long intervalMicros = rs.getLong(9);
    Optional<Duration> interval = rs.wasNull() ? Optional.empty()
        : Optional.of(Duration.of(intervalMicros, ChronoUnit.MICROS));
    if (interval.isPresent() && intervalMicros <= 0) {
      throw new Unreadable("interval_us must be positive, got " + intervalMicros);
    }
    Instant at = instant(requiredLong(rs, 10, "recorded time"));
    try {
      return new Heartbeat(agentId, incarnation, seq, Optional.ofNullable(taskId), status,
          cpu < 0 ? OptionalDouble.empty() : OptionalDouble.of(cpu), Optional.ofNullable(progress),
          Optional.ofNullable(progressAt), at, interval);
    } catch (IllegalArgumentException e) {
      throw new Unreadable(e.getMessage());
    }
  }

  /** The cpu column's value: the utilisation, or -1 when unknown (how every version writes it). */
  static double cpu(Heartbeat h) {
    return h.cpu().orElse(-1);
  }

  /** agent_id, incarnation, seq, task_id, progress, recorded_at. */
  static ProgressEvent event(ResultSet rs) throws SQLException, Unreadable {
    try {
      return new ProgressEvent(rs.getString(1), rs.getString(2), requiredLong(rs, 3, "seq"),
          Optional.ofNullable(rs.getString(4)), Optional.ofNullable(rs.getString(5)),
          instant(requiredLong(rs, 6, "recorded_at")));
    } catch (IllegalArgumentException e) {
      throw new Unreadable(e.getMessage());
    }
  }

  /** Columns {@code first} .. {@code first + 6}: {@link Sql#LEASE_COLUMNS}. */
  static Lease lease(ResultSet rs, int first) throws SQLException, Unreadable {
    String name = rs.getString(first);
    String holder = required(rs.getString(first + 1), "holder");
    long token = requiredLong(rs, first + 2, "token");
    if (token < 1) {
      throw new Unreadable("token must be at least 1, got " + token);
    }
    Instant acquired = instant(requiredLong(rs, first + 3, "acquired_at"));
    Instant renewed = instant(requiredLong(rs, first + 4, "renewed_at"));
    Instant expires = instant(requiredLong(rs, first + 5, "expires_at"));
    long transitions = requiredLong(rs, first + 6, "transitions");
    try {
      return new Lease(name, holder, token, acquired, renewed, expires, transitions);
    } catch (IllegalArgumentException e) {
      throw new Unreadable(e.getMessage());
    }
  }

  private static AgentStatus status(String value) throws Unreadable {
    if (value == null) {
      throw new Unreadable("status is null");
    }
    try {
      return AgentStatus.valueOf(value);
    } catch (IllegalArgumentException e) {
      throw new Unreadable("unknown status '" + value + "'");
    }
  }

  private static String required(String value, String column) throws Unreadable {
    if (value == null) {
      throw new Unreadable(column + " is null");
    }
    return value;
  }

  private static long requiredLong(ResultSet rs, int column, String name)
      throws SQLException, Unreadable {
    long value = rs.getLong(column);
    if (rs.wasNull()) {
      throw new Unreadable(name + " is null");
    }
    return value;
  }
}
