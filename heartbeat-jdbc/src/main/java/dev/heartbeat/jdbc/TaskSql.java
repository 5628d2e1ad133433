package dev.heartbeat.jdbc;

/**
 * Every task statement of one store, built once from its dialect and table prefix. As in
 * {@link Sql}, only validated table names are spliced in and every value is a bound parameter;
 * {@code N} is the store clock, {@link Dialect#now()}, which binds the clock offset.
 */
final class TaskSql {
  /** The columns {@link TaskRow#read} reads, in its order. */
  static final String COLUMNS = "queue_name, task_id, payload, attempt_timeout, progress_timeout,"
      + " max_attempts, max_lost, retry_delay, max_retry_delay, state, token, worker,"
      + " claim_expires_at, due_at, failures, lost, progress_text, checkpoint_text, output_text,"
      + " reason, cancel_requested, created_at, updated_at, attempts, version";
  /** How many columns {@link #COLUMNS} names. */
  static final int COLUMN_COUNT = 25;
  /** The columns {@link TaskRow#attempt} reads, in its order. */
  static final String ATTEMPT_COLUMNS = "task_id, attempt_no, worker, incarnation, token,"
      + " started_at, ended_at, outcome, error_class, message, stack_trace";
  private static final String FINAL_STATES = "'DONE', 'BLOCKED', 'CANCELLED'";

  final String tasks;
  final String attempts;
  final String tokens;
  final String now;
  final String selectNow;
  final String selectTask;
  /** Parameters: offset, queue, id; the clock is the last column. */
  final String lockTask;
  /** Parameters: queue, now, limit. */
  final String candidates;
  /**
   * {@link #candidates} by the store clock, which it yields as the last column; parameters:
   * offset, queue, offset, limit.
   */
  final String claimCandidates;
  final String list;
  final String counts;
  final String insertTask;
  /**
   * PostgreSQL: {@link #insertTask} at the store clock, yielding the inserted row's
   * {@link #COLUMNS} (none when the id was there); parameters: the spec's nine, then the offset
   * four times. Null on the other dialects.
   */
  final String insertTaskReturning;
  /**
   * PostgreSQL: takes up the id's reserved token in one statement (deletes the reservation and
   * sets the row's token to it), yielding the token; parameters: queue, id, queue, id. Null on
   * the other dialects.
   */
  final String takeReservation;
  /**
   * PostgreSQL: {@link #insertTaskReturning} then {@link #takeReservation}, two statements sent
   * at once (seventeen parameters), which the server runs in one implicit transaction when sent in
   * auto-commit mode: one round trip. Null on the other dialects.
   */
  final String submitTask;
  /** PostgreSQL: signals a queue ({@link PgSignals}) when its transaction commits; else null. */
  final String notify;
  final String lockReservation;
  final String setToken;
  final String deleteReservation;
  final String insertReservation;
  final String writeTask;
  final String insertAttempt;
  final String trimAttempts;
  final String endAttempt;
  /**
   * PostgreSQL: {@link #endAttempt} and {@link #writeTask} in one statement, the attempt's nine
   * parameters first; its count is the task row's. Null on the other dialects.
   */
  final String endAndWrite;
  final String progress;
  final String pruneCandidates;
  final String deleteTask;
  final String deleteAttempts;
  /** PostgreSQL: see {@link #renewArrays}; null on the other dialects. */
  final String renewArrays;
  /** PostgreSQL: see {@link #endDoneArrays(int)}, its bound {@value #LIMIT}; null elsewhere. */
  private final String endDoneArrays;
  /** PostgreSQL: see {@link #claimInbox(int)}, its limit {@value #LIMIT}; null elsewhere. */
  private final String claimInbox;
  /** Up to this many ends, {@link #endDoneArrays(int)} bounds its arrays to their exact size. */
  static final int EXACT_ENDS = 64;
  /** Stands for the limit in {@link #claimInbox}. */
  private static final String LIMIT = "{limit}";

  TaskSql(Dialect dialect, String prefix) {
    tasks = prefix + "tasks";
    attempts = prefix + "task_attempts";
    tokens = prefix + "task_tokens";
    now = dialect.now();
    selectNow = "SELECT " + now;
    selectTask = "SELECT " + COLUMNS + " FROM " + tasks + " WHERE queue_name = ? AND task_id = ?";
    lockTask = "SELECT " + COLUMNS + ", " + now + " FROM " + tasks
        + " WHERE queue_name = ? AND task_id = ? FOR UPDATE";
    // PostgreSQL and MariaDB 10.6+ skip the rows another claim holds; H2 reads without a lock
    // and each claim is a compare-and-set on the row's version, so a lost race is a skipped row
    String lock = dialect == Dialect.H2 ? "" : " FOR UPDATE SKIP LOCKED";
    candidates = "SELECT " + COLUMNS + " FROM " + tasks + " WHERE queue_name = ?"
        + " AND claimable_at <= ? ORDER BY claimable_at, created_at, task_id LIMIT ?" + lock;
    claimCandidates = "SELECT " + COLUMNS + ", " + now + " FROM " + tasks
        + " WHERE queue_name = ? AND claimable_at <= " + now
        + " ORDER BY claimable_at, created_at, task_id LIMIT ?" + lock;
    // created_at IS NOT NULL (every row) is the predicate of PostgreSQL's partial tasks_by_state:
    // only these two statements may use it, so look-ups by key always use the primary key
    list = "SELECT " + COLUMNS + " FROM " + tasks + " WHERE queue_name = ? AND state = ?"
        + " AND created_at IS NOT NULL ORDER BY created_at, task_id LIMIT ?";
    counts = "SELECT state, COUNT(*) FROM " + tasks + " WHERE queue_name = ?"
        + " AND created_at IS NOT NULL GROUP BY state";
    String insert = " INTO " + tasks + " (queue_name, task_id, payload, attempt_timeout,"
        + " progress_timeout, max_attempts, max_lost, retry_delay, max_retry_delay, state, token,"
        + " claimable_at, due_at, failures, lost, cancel_requested, created_at, updated_at,"
        + " attempts, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'INBOX', 0, ?, ?, 0, 0, FALSE,"
        + " ?, ?, 0, 0)";
    insertTask = switch (dialect) {
      case POSTGRESQL -> "INSERT" + insert + " ON CONFLICT (queue_name, task_id) DO NOTHING";
      case MARIADB -> "INSERT IGNORE" + insert;
      case H2 -> "INSERT" + insert; // a duplicate key is a lost race: Jdbc runs it again
    };
    boolean pg = dialect == Dialect.POSTGRESQL;
    String atNow = insert.replace("'INBOX', 0, ?, ?, 0, 0, FALSE, ?, ?, 0, 0)",
        "'INBOX', 0, " + now + ", " + now + ", 0, 0, FALSE, " + now + ", " + now + ", 0, 0)");
    insertTaskReturning = pg ? "INSERT" + atNow
        + " ON CONFLICT (queue_name, task_id) DO NOTHING RETURNING " + COLUMNS : null;
    // the update runs only when there was a reservation (a one-time filter): a fresh table's
    // planner may otherwise look the row up by a scan of the queue
    takeReservation = pg ? "WITH r AS (DELETE FROM " + tokens
        + " WHERE queue_name = ? AND task_id = ? RETURNING token) UPDATE " + tasks
        + " SET token = (SELECT token FROM r) WHERE queue_name = ? AND task_id = ?"
        + " AND EXISTS (SELECT 1 FROM r) RETURNING token" : null;
    // a new row's RETURNING also signals its queue (no row, no signal), committed with it
    String signal = "pg_notify('" + PgSignals.channel(prefix) + "', ?)";
    notify = pg ? "SELECT " + signal : null;
    submitTask = pg ? insertTaskReturning + ", " + signal + "; " + takeReservation : null;
    lockReservation = "SELECT token FROM " + tokens
        + " WHERE queue_name = ? AND task_id = ? FOR UPDATE";
    setToken = "UPDATE " + tasks + " SET token = ? WHERE queue_name = ? AND task_id = ?";
    deleteReservation = "DELETE FROM " + tokens + " WHERE queue_name = ? AND task_id = ?";
    insertReservation = "INSERT INTO " + tokens + " (token, queue_name, task_id) VALUES (?, ?, ?)";
    writeTask = "UPDATE " + tasks + " SET state = ?, token = ?, worker = ?, claim_expires_at = ?,"
        + " claimable_at = ?, due_at = ?, failures = ?, lost = ?, progress_text = ?,"
        + " checkpoint_text = ?, output_text = ?, reason = ?, cancel_requested = ?,"
        + " updated_at = ?, attempts = ?, version = version + 1"
        + " WHERE queue_name = ? AND task_id = ? AND version = ?";
    insertAttempt = "INSERT INTO " + attempts + " (queue_name, task_id, attempt_no, worker,"
        + " incarnation, token, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
    trimAttempts = "DELETE FROM " + attempts
        + " WHERE queue_name = ? AND task_id = ? AND attempt_no <= ?";
    endAttempt = "UPDATE " + attempts + " SET ended_at = ?, outcome = ?, error_class = ?,"
        + " message = ?, stack_trace = ? WHERE queue_name = ? AND task_id = ? AND attempt_no = ?"
        + " AND token = ? AND outcome IS NULL";
    endAndWrite = pg ? "WITH a AS (" + endAttempt + ") " + writeTask : null;
    progress = "UPDATE " + tasks + " SET progress_text = ?, checkpoint_text = COALESCE(?,"
        + " checkpoint_text), updated_at = " + now + ", version = version + 1"
        + " WHERE queue_name = ? AND task_id = ? AND state = 'IN_PROGRESS' AND worker = ?"
        + " AND token = ? AND claim_expires_at > " + now;
    pruneCandidates = "SELECT task_id, token FROM " + tasks + " WHERE queue_name = ?"
        + " AND state IN (" + FINAL_STATES + ") AND updated_at < ? ORDER BY updated_at, task_id"
        + " LIMIT ? FOR UPDATE";
    deleteTask = "DELETE FROM " + tasks + " WHERE queue_name = ? AND task_id = ?";
    deleteAttempts = "DELETE FROM " + attempts + " WHERE queue_name = ? AND task_id = ?";
    renewArrays = dialect == Dialect.POSTGRESQL ? renewArrays() : null;
    endDoneArrays = dialect == Dialect.POSTGRESQL ? endDoneArraysTemplate() : null;
    claimInbox = dialect == Dialect.POSTGRESQL ? claimInboxTemplate() : null;
  }

  /**
   * PostgreSQL: a claim of due {@code INBOX} rows in one statement. It picks the queue's
   * claimable rows oldest first as {@link #claimCandidates} does ({@code FOR UPDATE SKIP LOCKED},
   * by the store clock read once) and, only when every picked row is in {@code INBOX}, claims
   * them all: the next token, the worker, the expiry, one more attempt, the attempt's row
   * inserted and the history trimmed to {@link dev.heartbeat.TaskView#MAX_ATTEMPTS_KEPT}. A
   * picked expired claim needs its lost attempt ended and may end blocked or cancelled: then the
   * statement writes nothing, and the caller claims by the rows ({@link TaskClaims}) in the same
   * transaction, which holds the picked rows' locks already. Parameters: offset, queue, worker,
   * ttl micros, incarnation. Always one row at least: {@link #COLUMNS} of a claimed row
   * (all null when none was), then the clock, how many rows were picked and how many of them were
   * not in {@code INBOX}; claimed rows in the order they were picked.
   *
   * <p>The limit is written into the statement, not bound: the server then plans each limit once
   * a connection and keeps a generic plan that looks the picked rows up by their key. With a bound
   * limit its generic plan guesses a tenth of the queue, hashes the whole table to join the picked
   * rows, and the server plans every claim anew instead, which cost more than the claim itself
   * (PostgreSQL 15, {@code pg_stat_statements}); the texts are as many as the limits asked for, at
   * most a worker's concurrency.
   *
   * @param limit the most rows to claim, at least 1
   * @return the statement, or null on the other dialects
   */
  String claimInbox(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    return claimInbox == null ? null : claimInbox.replace(LIMIT, Integer.toString(limit));
  }

  private String claimInboxTemplate() {
    String returned = String.join(", ", java.util.Arrays.stream(COLUMNS.split(", "))
        .map(column -> "t." + column).toList());
    return "WITH n AS (SELECT " + now + " AS now),"
        + " p AS (SELECT queue_name, task_id, state, claimable_at, created_at FROM " + tasks
        + " WHERE queue_name = ? AND claimable_at <= (SELECT now FROM n)"
        + " ORDER BY claimable_at, created_at, task_id LIMIT " + LIMIT + " FOR UPDATE SKIP LOCKED),"
        + " s AS (SELECT (SELECT now FROM n) AS clock, COUNT(*) AS picked,"
        + " COUNT(*) FILTER (WHERE state <> 'INBOX') AS others FROM p),"
        + " c AS (UPDATE " + tasks + " t SET state = 'IN_PROGRESS', token = t.token + 1,"
        + " worker = r.worker, claim_expires_at = n.now + r.ttl, claimable_at = n.now + r.ttl,"
        + " cancel_requested = FALSE, updated_at = n.now, attempts = t.attempts + 1,"
        + " version = t.version + 1 FROM p, n, s, (SELECT ?::text AS worker, ?::bigint AS ttl) r"
        + " WHERE t.queue_name = p.queue_name AND t.task_id = p.task_id AND s.others = 0"
        + " RETURNING " + returned + ", p.claimable_at AS picked_at, p.created_at AS picked_created),"
        + " a AS (INSERT INTO " + attempts + " (queue_name, task_id, attempt_no, worker,"
        + " incarnation, token, started_at) SELECT queue_name, task_id, attempts, worker, ?,"
        + " token, updated_at FROM c),"
        + " d AS (DELETE FROM " + attempts + " x USING c WHERE c.attempts > "
        + dev.heartbeat.TaskView.MAX_ATTEMPTS_KEPT + " AND x.queue_name = c.queue_name"
        + " AND x.task_id = c.task_id AND x.attempt_no <= c.attempts - "
        + dev.heartbeat.TaskView.MAX_ATTEMPTS_KEPT + ")"
        + " SELECT " + COLUMNS + ", s.clock, s.picked, s.others FROM s LEFT JOIN c ON TRUE"
        + " ORDER BY c.picked_at, c.picked_created, c.task_id";
  }

  /**
   * PostgreSQL: renew many claims in one statement over five arrays (queues, ids, workers,
   * tokens, ttls), parameters 1 to 5, and the clock offset, parameter 6; it yields the renewed
   * rows' queue, id, expiry and cancel request. The rows are locked in key order by the
   * sub-select (its sort completes before it locks the first row), so two renewals of overlapping
   * sets queue instead of deadlocking; the clock is read once.
   */
  private String renewArrays() {
    String c = " COLLATE \"C\"";
    return "UPDATE " + tasks + " t SET claim_expires_at = n.now + r.ttl,"
        + " claimable_at = n.now + r.ttl, updated_at = n.now, version = t.version + 1"
        + " FROM (SELECT u.queue_name, u.task_id, u.worker, u.token, u.ttl FROM " + tasks + " x"
        + " JOIN unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])"
        + " AS u(queue_name, task_id, worker, token, ttl) ON x.queue_name = u.queue_name" + c
        + " AND x.task_id = u.task_id" + c + " ORDER BY x.queue_name" + c + ", x.task_id" + c
        + " FOR UPDATE OF x) r, (SELECT " + now + " AS now) n"
        + " WHERE t.queue_name = r.queue_name" + c + " AND t.task_id = r.task_id" + c
        + " AND t.state = 'IN_PROGRESS' AND t.worker = r.worker" + c + " AND t.token = r.token"
        + " AND t.claim_expires_at > n.now"
        + " RETURNING t.queue_name, t.task_id, t.claim_expires_at, t.cancel_requested";
  }

  /**
   * PostgreSQL: the DONE ends of many attempts in one statement over five arrays (queues, ids,
   * workers, tokens, outputs), then the clock's offset: each row still held by its claim (worker,
   * token, unexpired by the store clock read once) becomes DONE with its output, its claim gone,
   * and its attempt ends DONE at the same instant. Nothing of a DONE end depends on the row but
   * the claim's check, which is why it needs no read first; the rows are locked in key order by
   * the sub-select, as {@link #renewArrays} does. Returns the queue and id of each row written.
   *
   * <p>The arrays are read through a {@code LIMIT} written into the statement, {@code count} up to
   * {@value #EXACT_ENDS} and the power of two at or above it past that: it tells the planner how many rows the arrays hold, so that its
   * generic plan looks them up by key as each custom plan does (for arrays of unknown size it
   * guesses 100 rows and hashes the whole table), and it keeps the server's generic plan, where it
   * used to plan every end anew ({@link #claimInbox(int)} says why that matters).
   *
   * @param count how many ends the arrays hold, at least 1
   * @return the statement, or null on the other dialects
   */
  String endDoneArrays(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, got " + count);
    }
    long bound = count <= EXACT_ENDS || Long.highestOneBit(count) == count ? count
        : Long.highestOneBit(count) << 1;
    return endDoneArrays == null ? null : endDoneArrays.replace(LIMIT, Long.toString(bound));
  }

  /**
   * PostgreSQL: whether DONE ends ({@link #endDoneArrays(int)}) and claims of due rows
   * ({@link #claimInbox(int)}) are one statement each.
   */
  boolean oneStatementEnds() {
    return endDoneArrays != null;
  }

  private String endDoneArraysTemplate() {
    String c = " COLLATE \"C\"";
    return "WITH r AS (SELECT u.queue_name, u.task_id, u.worker, u.token, u.output FROM "
        + tasks + " x JOIN (SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[],"
        + " ?::text[]) AS v(queue_name, task_id, worker, token, output) LIMIT " + LIMIT + ") u"
        + " ON x.queue_name = u.queue_name" + c
        + " AND x.task_id = u.task_id" + c + " ORDER BY x.queue_name" + c + ", x.task_id" + c
        + " FOR UPDATE OF x), n AS (SELECT " + now + " AS now),"
        + " t AS (UPDATE " + tasks + " t SET state = 'DONE', worker = NULL,"
        + " claim_expires_at = NULL, claimable_at = NULL, output_text = r.output,"
        + " updated_at = n.now, version = t.version + 1 FROM r, n"
        + " WHERE t.queue_name = r.queue_name" + c + " AND t.task_id = r.task_id" + c
        + " AND t.state = 'IN_PROGRESS' AND t.worker = r.worker" + c + " AND t.token = r.token"
        + " AND t.claim_expires_at > n.now"
        + " RETURNING t.queue_name, t.task_id, t.attempts, t.token, n.now AS ended_at),"
        + " a AS (UPDATE " + attempts + " a SET ended_at = t.ended_at, outcome = 'DONE' FROM t"
        + " WHERE a.queue_name = t.queue_name AND a.task_id = t.task_id"
        + " AND a.attempt_no = t.attempts AND a.token = t.token AND a.outcome IS NULL)"
        + " SELECT queue_name, task_id FROM t";
  }

  /** The attempts of {@code count} tasks of one queue; parameters: queue, then the ids. */
  String attemptsOf(int count) {
    return "SELECT " + ATTEMPT_COLUMNS + " FROM " + attempts + " WHERE queue_name = ?"
        + " AND task_id IN (" + "?, ".repeat(count - 1) + "?) ORDER BY task_id, attempt_no";
  }

  /**
   * The claims of {@code count} tasks, locked in key order; parameters: offset, then queue and id
   * per task. Columns: the clock, queue, id, state, worker, token, claim_expires_at,
   * cancel_requested.
   */
  String lockClaims(int count) {
    return "SELECT " + now + ", queue_name, task_id, state, worker, token, claim_expires_at,"
        + " cancel_requested FROM " + tasks + " WHERE " + keys("task_id = ?", count)
        + " ORDER BY queue_name, task_id FOR UPDATE";
  }

  /**
   * Extends {@code count} held claims to one expiry; parameters: expiry, expiry, now, then
   * queue, id and token per claim.
   */
  String renewClaims(int count) {
    return "UPDATE " + tasks + " SET claim_expires_at = ?, claimable_at = ?, updated_at = ?,"
        + " version = version + 1 WHERE " + keys("task_id = ? AND token = ?", count);
  }

  /**
   * {@code count} keys as ORed equalities, which every database's optimizer turns into key
   * lookups (MariaDB's may scan, and in a locking statement lock, the table for a row-value IN).
   */
  private static String keys(String rest, int count) {
    String one = "(queue_name = ? AND " + rest + ")";
    return "(" + (one + " OR ").repeat(count - 1) + one + ")";
  }
}
