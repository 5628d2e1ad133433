package dev.heartbeat.jdbc;

import dev.heartbeat.TaskCounts;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.ClaimAnswer;
import dev.heartbeat.spi.ClaimEnd;
import dev.heartbeat.spi.ClaimRef;
import dev.heartbeat.spi.ClaimRenewal;
import dev.heartbeat.spi.StoreProblems;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskSignals;
import dev.heartbeat.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The task store of a {@link JdbcStore} ({@link JdbcStore#tasks()}): three tables, {@code tasks}
 * (one row per task, its attempt count and a version that every write compares and sets),
 * {@code task_attempts} (the last {@value TaskView#MAX_ATTEMPTS_KEPT} attempts of each task) and
 * {@code task_tokens} (the last token of each pruned id). It checks the arguments and hands each
 * call to the class that does it: {@link TaskSubmissions} (submit, prune), {@link TaskClaims},
 * {@link TaskRenewals}, {@link TaskWrites} (progress, end, cancel, retry) and
 * {@link TaskReads}, on the rows of {@link TaskTable}. Every instant is the store clock's. Thread-safe.
 */
final class JdbcTasks implements TaskStore {
  private final TaskReads reads;
  private final TaskSubmissions submissions;
  private final TaskClaims claims;
  private final TaskRenewals renewals;
  private final TaskWrites writes;
  private final PgSignals signals; // null but on PostgreSQL

  JdbcTasks(Dialect dialect, String prefix, Jdbc jdbc, StoreProblems problems,
      LongSupplier offset, PgSignals signals) {
    this.signals = signals;
    TaskSql sql = new TaskSql(dialect, prefix);
    TaskTable table = new TaskTable(sql, problems, offset);
    this.reads = new TaskReads(sql, jdbc, table);
    this.submissions = new TaskSubmissions(sql, jdbc, table, reads, problems);
    this.claims = new TaskClaims(sql, jdbc, table);
    this.renewals = new TaskRenewals(sql, jdbc, table);
    this.writes = new TaskWrites(sql, jdbc, table);
  }

  @Override
  public TaskView submit(String queue, TaskSpec spec) {
    Checks.id("queue", queue);
    Checks.notNull("spec", spec);
    return submissions.submit(queue, spec);
  }

  @Override
  public List<TaskClaim> claim(String queue, String worker, String incarnation, int max,
      Duration ttl) {
    Checks.id("queue", queue);
    Checks.id("worker", worker);
    Checks.id("incarnation", incarnation);
    Checks.atLeast("max", max, 1);
    Checks.positive("ttl", ttl);
    return claims.claim(queue, worker, incarnation, max, ttl);
  }

  @Override
  public List<ClaimAnswer> renewClaims(List<ClaimRenewal> list) {
    Checks.notNull("renewals", list);
    List<ClaimRenewal> copy = List.copyOf(list);
    return copy.isEmpty() ? List.of() : renewals.renew(copy);
  }

  @Override
  public boolean progress(ClaimRef claim, String progress, Optional<String> checkpoint) {
    Checks.notNull("claim", claim);
    Checks.text("progress", progress);
    Checks.notNull("checkpoint", checkpoint);
    checkpoint.ifPresent(c -> Checks.payload("checkpoint", c, TaskSpec.MAX_PAYLOAD_LENGTH));
    return writes.progress(claim, progress, checkpoint);
  }

  @Override
  public boolean end(ClaimRef claim, AttemptEnd end) {
    Checks.notNull("claim", claim);
    Checks.notNull("end", end);
    return writes.end(claim, end);
  }

  @Override
  public List<Boolean> endAll(List<ClaimEnd> ends) {
    Checks.notNull("ends", ends);
    for (ClaimEnd e : ends) {
      Checks.notNull("ends[i]", e);
    }
    return writes.endAll(ends);
  }

  /** PostgreSQL's {@code LISTEN/NOTIFY} ({@link PgSignals}); empty on MariaDB and H2. */
  @Override
  public Optional<TaskSignals> signals() {
    return Optional.ofNullable(signals);
  }

  @Override
  public Optional<TaskView> read(String queue, String id) {
    Checks.id("queue", queue);
    Checks.id("id", id);
    return reads.read(queue, id);
  }

  @Override
  public List<TaskView> list(String queue, TaskState state, int limit) {
    Checks.id("queue", queue);
    Checks.notNull("state", state);
    Checks.atLeast("limit", limit, 1);
    return reads.list(queue, state, limit);
  }

  @Override
  public TaskCounts counts(String queue) {
    return reads.counts(Checks.id("queue", queue));
  }

  @Override
  public Optional<TaskView> cancel(String queue, String id) {
    Checks.id("queue", queue);
    Checks.id("id", id);
    return writes.cancel(queue, id);
  }

  @Override
  public Optional<TaskView> retry(String queue, String id) {
    Checks.id("queue", queue);
    Checks.id("id", id);
    return writes.retry(queue, id);
  }

  @Override
  public int prune(String queue, Instant before, int limit) {
    Checks.id("queue", queue);
    Checks.notNull("before", before);
    Checks.atLeast("limit", limit, 1);
    // updated_at < before, in whole microseconds: a fraction of one rounds the bound up
    long micros = Rows.micros(before) + (before.getNano() % 1000 > 0 ? 1 : 0);
    return submissions.prune(queue, micros, limit);
  }
}
