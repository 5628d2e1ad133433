package dev.heartbeat.jdbc;

import dev.heartbeat.Attempt;
import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.TaskRules;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * One task row as a transaction read it, changed in memory by the same steps as the in-memory
 * store's task (claim, end of an attempt, leaving a state) and written back as a compare-and-set
 * on its {@code version}. Instants are epoch microseconds of the store clock. Not thread-safe:
 * one transaction owns it.
 */
final class TaskRow {
  /** The reason of a task cancelled by a cancel request. */
  static final String CANCEL_REASON = "cancelled";

  final String queue;
  final TaskSpec spec;
  final long createdAt;
  final long version;
  TaskState state;
  long token;
  String worker;
  Long claimExpiresAt;
  long dueAt;
  int failures;
  int lost;
  String progress;
  String checkpoint;
  String output;
  String reason;
  boolean cancelRequested;
  long updatedAt;
  int attempts;

  private TaskRow(String queue, TaskSpec spec, long createdAt, long version) {
    this.queue = queue;
    this.spec = spec;
    this.createdAt = createdAt;
    this.version = version;
  }

  String id() {
    return spec.id();
  }

  /** Reads {@link TaskSql#COLUMNS}; a row that is no valid task throws {@link Rows.Unreadable}. */
  static TaskRow read(ResultSet rs) throws SQLException, Rows.Unreadable {
    try {
      TaskSpec spec = new TaskSpec(rs.getString(2), required(rs.getString(3), "payload"),
          duration(rs.getString(4), "attempt_timeout"),
          duration(rs.getString(5), "progress_timeout"), requiredInt(rs, 6, "max_attempts"),
          requiredInt(rs, 7, "max_lost"), duration(rs.getString(8), "retry_delay"),
          duration(rs.getString(9), "max_retry_delay"));
      TaskRow row = new TaskRow(rs.getString(1), spec, requiredLong(rs, 22, "created_at"),
          requiredLong(rs, 25, "version"));
      row.state = state(rs.getString(10));
      row.token = requiredLong(rs, 11, "token");
      row.worker = rs.getString(12);
      row.claimExpiresAt = optionalLong(rs, 13);
      row.dueAt = requiredLong(rs, 14, "due_at");
      row.failures = requiredInt(rs, 15, "failures");
      row.lost = requiredInt(rs, 16, "lost");
      row.progress = rs.getString(17);
      row.checkpoint = rs.getString(18);
      row.output = rs.getString(19);
      row.reason = rs.getString(20);
      row.cancelRequested = rs.getBoolean(21);
      if (rs.wasNull()) {
        throw new Rows.Unreadable("cancel_requested is null");
      }
      row.updatedAt = requiredLong(rs, 23, "updated_at");
      row.attempts = requiredInt(rs, 24, "attempts");
      row.view(List.of()); // every check of a view, now
      return row;
    } catch (IllegalArgumentException e) {
      throw new Rows.Unreadable(e.getMessage());
    }
  }

  /** Reads {@link TaskSql#ATTEMPT_COLUMNS} but the task id. */
  static Attempt attempt(ResultSet rs) throws SQLException, Rows.Unreadable {
    try {
      String outcome = rs.getString(8);
      Optional<AttemptOutcome> ended;
      try {
        ended = Optional.ofNullable(outcome).map(AttemptOutcome::valueOf);
      } catch (IllegalArgumentException e) {
        throw new Rows.Unreadable("unknown attempt outcome '" + outcome + "'");
      }
      return new Attempt(requiredInt(rs, 2, "attempt_no"), rs.getString(3), rs.getString(4),
          requiredLong(rs, 5, "attempt token"), Rows.instant(requiredLong(rs, 6, "started_at")),
          Optional.ofNullable(optionalLong(rs, 7)).map(Rows::instant), ended,
          Optional.ofNullable(rs.getString(9)), Optional.ofNullable(rs.getString(10)),
          Optional.ofNullable(rs.getString(11)));
    } catch (IllegalArgumentException e) {
      throw new Rows.Unreadable(e.getMessage());
    }
  }

  TaskView view(List<Attempt> kept) {
    return new TaskView(queue, spec, state, token, Optional.ofNullable(worker),
        Optional.ofNullable(claimExpiresAt).map(Rows::instant), Rows.instant(dueAt), failures,
        lost, Optional.ofNullable(progress), Optional.ofNullable(checkpoint),
        Optional.ofNullable(output), Optional.ofNullable(reason), cancelRequested,
        Rows.instant(createdAt), Rows.instant(updatedAt), kept);
  }

  /** Whether {@code (claimWorker, claimToken)} holds a live claim at {@code now}. */
  boolean heldBy(String claimWorker, long claimToken, long now) {
    return state == TaskState.IN_PROGRESS && worker.equals(claimWorker) && token == claimToken
        && now < claimExpiresAt;
  }

  boolean claimExpired(long now) {
    return state == TaskState.IN_PROGRESS && now >= claimExpiresAt;
  }

  /** Takes a claim with the next token; the caller records the attempt it starts. */
  void claim(String claimWorker, long now, long expiresAt) {
    token++;
    state = TaskState.IN_PROGRESS;
    worker = claimWorker;
    claimExpiresAt = expiresAt;
    cancelRequested = false;
    updatedAt = now;
    attempts++;
  }

  /** Counts an ended attempt; the caller records its end and then calls {@link #leave}. */
  void count(AttemptOutcome outcome) {
    if (outcome.isFailure()) {
      failures++;
    }
    if (outcome == AttemptOutcome.WORKER_LOST) {
      lost++;
    }
  }

  /** The claim that {@link #takeOverLost} ended: its attempt, token and expiry. */
  record Lost(int attempt, long token, long expiredAt) {}

  /**
   * Takes over an expired claim, as the in-memory store does: counts its attempt as
   * {@code WORKER_LOST} and leaves the row {@code CANCELLED} when its cancel was requested,
   * {@code BLOCKED} when {@link TaskRules#afterLost} finds it poison, else {@code INBOX}. The
   * caller writes the row, then ends the returned attempt ({@link TaskTable#endLost}).
   */
  Lost takeOverLost(long now) {
    Lost ended = new Lost(attempts, token, claimExpiresAt);
    Optional<String> poison = TaskRules.afterLost(view(List.of()));
    count(AttemptOutcome.WORKER_LOST);
    if (cancelRequested) {
      reason = CANCEL_REASON;
      leave(TaskState.CANCELLED, now);
    } else if (poison.isPresent()) {
      reason = poison.get();
      leave(TaskState.BLOCKED, now);
    } else {
      leave(TaskState.INBOX, now);
    }
    return ended;
  }

  /** Leaves the current state for {@code next}. */
  void leave(TaskState next, long now) {
    state = next;
    worker = null;
    claimExpiresAt = null;
    updatedAt = now;
  }

  /** When the row may be claimed: the due time in INBOX, the expiry in progress, else never. */
  private Long claimableAt() {
    return switch (state) {
      case INBOX -> dueAt;
      case IN_PROGRESS -> claimExpiresAt;
      case DONE, BLOCKED, CANCELLED -> null;
    };
  }

  /** Binds {@link TaskSql#writeTask}: every changing column, then the key and the version. */
  void bindWrite(PreparedStatement ps) throws SQLException {
    bindWrite(ps, 0);
  }

  /** Binds {@link TaskSql#writeTask} from parameter {@code i + 1} on. */
  void bindWrite(PreparedStatement ps, int i) throws SQLException {
    ps.setString(i + 1, state.name());
    ps.setLong(i + 2, token);
    ps.setString(i + 3, worker);
    setLong(ps, i + 4, claimExpiresAt);
    setLong(ps, i + 5, claimableAt());
    ps.setLong(i + 6, dueAt);
    ps.setInt(i + 7, failures);
    ps.setInt(i + 8, lost);
    ps.setString(i + 9, progress);
    ps.setString(i + 10, checkpoint);
    ps.setString(i + 11, output);
    ps.setString(i + 12, reason);
    ps.setBoolean(i + 13, cancelRequested);
    ps.setLong(i + 14, updatedAt);
    ps.setInt(i + 15, attempts);
    ps.setString(i + 16, queue);
    ps.setString(i + 17, spec.id());
    ps.setLong(i + 18, version);
  }

  static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }

  /** Micros of the store clock {@code d} after {@code now}, rounded up. */
  static long after(long now, Duration d) {
    return Math.addExact(now, Rows.micros(d));
  }

  static Instant instant(long micros) {
    return Rows.instant(micros);
  }

  private static TaskState state(String value) throws Rows.Unreadable {
    if (value == null) {
      throw new Rows.Unreadable("state is null");
    }
    try {
      return TaskState.valueOf(value);
    } catch (IllegalArgumentException e) {
      throw new Rows.Unreadable("unknown state '" + value + "'");
    }
  }

  private static Duration duration(String value, String column) throws Rows.Unreadable {
    try {
      return Duration.parse(required(value, column));
    } catch (DateTimeParseException e) {
      throw new Rows.Unreadable(column + " is no duration: '" + value + "'");
    }
  }

  private static String required(String value, String column) throws Rows.Unreadable {
    if (value == null) {
      throw new Rows.Unreadable(column + " is null");
    }
    return value;
  }

  private static Long optionalLong(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private static long requiredLong(ResultSet rs, int column, String name)
      throws SQLException, Rows.Unreadable {
    long value = rs.getLong(column);
    if (rs.wasNull()) {
      throw new Rows.Unreadable(name + " is null");
    }
    return value;
  }

  private static int requiredInt(ResultSet rs, int column, String name)
      throws SQLException, Rows.Unreadable {
    int value = rs.getInt(column);
    if (rs.wasNull()) {
      throw new Rows.Unreadable(name + " is null");
    }
    return value;
  }
}
