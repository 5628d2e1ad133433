package dev.heartbeat.jdbc;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.spi.Checks;

/**
 * Every statement of one store, built once from its dialect and table prefix. Only table names
 * (validated identifiers) are spliced in; every value is a bound parameter. {@code N} below is
 * the store clock, {@link Dialect#now()}, which binds the clock offset.
 */
final class Sql {
  static final String AGENT_COLUMNS =
      "incarnation, seq, task_id, status, cpu, progress, progress_at, interval_us";
  static final String LEASE_COLUMNS =
      "name, holder, token, acquired_at, renewed_at, expires_at, transitions";

  /** Every status a readable row can have, as SQL literals. */
  private static final String STATUSES = java.util.Arrays.stream(AgentStatus.values())
      .map(s -> "'" + s.name() + "'").collect(java.util.stream.Collectors.joining(", "));

  /**
   * H2: the arrays of names and holders are typed as the columns are (ids are at most 128
   * characters), so that the MERGE joins like types; untyped it measured about 10% slower.
   */
  private static final String H2_ID_ARRAY = "VARCHAR(" + Checks.MAX_ID_LENGTH
      + ") ARRAY";

  final Dialect dialect;
  final String agents;
  final String heartbeats;
  final String events;
  final String leases;
  final String fencing;
  /** One row per forgotten agent, with the time of its forget, for incremental readers. */
  final String agentsGone;

  final String now;
  final String selectNow;
  // agents
  final String agentForUpdate;
  final String agentSeen;
  final String updateAgent;
  final String recordIfNewer;
  /** PostgreSQL: a whole beat in one statement ({@link #recordOne()}); null elsewhere. */
  final String recordOne;
  /** MariaDB: the procedure that records a beat (the DDL's {@code record_beat}); null elsewhere. */
  final String recordBeat;
  /** MariaDB: a whole beat in one {@code CALL} of {@link #recordBeat}; null elsewhere. */
  final String callRecordBeat;
  final String registerUnlessNewer;
  final String insertAgent;
  final String insertHistory;
  final String insertEvent;
  final String selectAgent;
  final String selectAgents;
  final String history;
  final String eventsOf;
  final String deleteAgent;
  final String deleteHistoryOf;
  final String deleteEventsOf;
  // leases
  final String lockCounter;
  final String firstCounter;
  final String bumpCounter;
  final String leaseWithNow;
  final String lockLease;
  final String markUnreadable;
  final String takeLease;
  final String insertLease;
  final String renew;
  final String renewOne;
  /** See {@link #arrays()}. */
  final String renewArrays;
  final String release;
  final String selectLease;
  final String selectLeases;

  Sql(Dialect dialect, String prefix) {
    this.dialect = dialect;
    agents = prefix + "agents";
    heartbeats = prefix + "heartbeats";
    events = prefix + "events";
    leases = prefix + "leases";
    fencing = prefix + "fencing";
    agentsGone = prefix + "agents_gone";
    now = dialect.now();
    selectNow = "SELECT " + now;

    agentForUpdate = "SELECT id, " + AGENT_COLUMNS + ", last_seen_at, " + now + " FROM "
        + agents + " WHERE id = ? FOR UPDATE";
    agentSeen = "SELECT " + now + ", a.id FROM (SELECT 1 AS one) d LEFT JOIN " + agents
        + " a ON a.id = ?";
    updateAgent = "UPDATE " + agents + " SET incarnation = ?, seq = ?, task_id = ?, status = ?,"
        + " cpu = ?, progress = ?, progress_at = ?, interval_us = ?, last_seen_at = ? WHERE id = ?";
    // nothing goes back in time: a beat of the stored run with a greater sequence, not after LEFT
    recordIfNewer = updateAgent + " AND incarnation = ? AND seq < ? AND status <> '"
        + AgentStatus.LEFT.name() + "'";
    // progress_at first: MariaDB assigns left to right, so later terms see assigned values
    registerUnlessNewer = "UPDATE " + agents + " SET progress_at = COALESCE(?, CASE WHEN"
        + " incarnation = ? THEN progress_at END), incarnation = ?, seq = ?, task_id = ?,"
        + " status = ?, cpu = ?, progress = ?, interval_us = ?, last_seen_at = ? WHERE id = ? AND"
        + " NOT COALESCE("
        + "incarnation = ? AND seq >= ? AND status IN (" + STATUSES + ") AND cpu IS NOT NULL"
        + " AND last_seen_at IS NOT NULL, FALSE)";
    insertAgent = "INSERT INTO " + agents + " (" + AGENT_COLUMNS + ", last_seen_at, id)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    insertHistory = "INSERT INTO " + heartbeats + " (" + AGENT_COLUMNS + ", recorded_at, agent_id)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    insertEvent = "INSERT INTO " + events + " (incarnation, seq, task_id, progress, recorded_at,"
        + " agent_id) VALUES (?, ?, ?, ?, ?, ?)";
    selectAgent = "SELECT id, " + AGENT_COLUMNS + ", last_seen_at FROM " + agents + " WHERE id = ?";
    selectAgents = "SELECT id, " + AGENT_COLUMNS + ", last_seen_at FROM " + agents;
    history = "SELECT agent_id, " + AGENT_COLUMNS + ", recorded_at, id FROM " + heartbeats
        + " WHERE agent_id = ? ORDER BY id DESC LIMIT ?";
    eventsOf = "SELECT agent_id, incarnation, seq, task_id, progress, recorded_at, id FROM "
        + events + " WHERE agent_id = ? ORDER BY id DESC LIMIT ?";
    deleteAgent = "DELETE FROM " + agents + " WHERE id = ?";
    deleteHistoryOf = "DELETE FROM " + heartbeats + " WHERE agent_id = ?";
    deleteEventsOf = "DELETE FROM " + events + " WHERE agent_id = ?";

    lockCounter = "SELECT token, transitions, max_ttl_us FROM " + fencing
        + " WHERE name = ? FOR UPDATE";
    firstCounter = "INSERT INTO " + fencing + " (name, token, transitions, max_ttl_us)"
        + " VALUES (?, 1, 1, ?)";
    bumpCounter = "UPDATE " + fencing + " SET token = ?, transitions = ?, max_ttl_us = ?"
        + " WHERE name = ?";
    leaseWithNow = "SELECT " + now + ", l.name, l.holder, l.token, l.acquired_at, l.renewed_at,"
        + " l.expires_at, l.transitions, l.unreadable_since, f.token, l.ttl_us, f.max_ttl_us"
        + " FROM (SELECT 1 AS one) d LEFT JOIN " + leases + " l ON l.name = ? LEFT JOIN "
        + fencing + " f ON f.name = ?";
    // leaseWithNow's columns from the row as it is once locked (the counter's columns are the
    // lease's own: the caller has them from the counter it locked)
    lockLease = "SELECT " + now + ", name, holder, token, acquired_at, renewed_at, expires_at,"
        + " transitions, unreadable_since, token, ttl_us, ttl_us FROM " + leases
        + " WHERE name = ? FOR UPDATE";
    markUnreadable = "UPDATE " + leases + " SET unreadable_since = " + now
        + " WHERE name = ? AND unreadable_since IS NULL";
    takeLease = "UPDATE " + leases + " SET holder = ?, token = ?, acquired_at = ?, renewed_at = ?,"
        + " expires_at = ?, ttl_us = ?, transitions = ?, unreadable_since = NULL WHERE name = ?";
    insertLease = "INSERT INTO " + leases + " (holder, token, acquired_at, renewed_at, expires_at,"
        + " ttl_us, transitions, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    String renewWhere = " WHERE name = ? AND holder = ? AND token = ? AND expires_at > " + now;
    // a renewed row is readable: a later damage is noticed afresh
    renew = "UPDATE " + leases + " SET renewed_at = " + now + ", expires_at = " + now + " + ?,"
        + " ttl_us = ?, unreadable_since = NULL" + renewWhere;
    // one renewal as one statement that also yields its result (SingleRenewal)
    renewOne = switch (dialect) {
      case POSTGRESQL -> renew + " RETURNING " + LEASE_COLUMNS;
      case H2 -> "SELECT " + LEASE_COLUMNS + " FROM FINAL TABLE (" + renew + ")";
      case MARIADB -> "UPDATE " + leases + " SET renewed_at = LAST_INSERT_ID(" + now + "),"
          + " expires_at = " + now + " + ?, ttl_us = ?, unreadable_since = NULL" + renewWhere
          + " AND acquired_at = ? AND transitions = ?";
    };
    release = "DELETE FROM " + leases + " WHERE name = ? AND holder = ? AND token = ?";
    selectLease = "SELECT " + LEASE_COLUMNS + " FROM " + leases + " WHERE name = ?";
    selectLeases = "SELECT " + LEASE_COLUMNS + " FROM " + leases;
    renewArrays = arrays();
    recordOne = dialect == Dialect.POSTGRESQL ? recordOne() : null;
    // parameters: id, incarnation, seq, task_id, status, cpu, progress, new progress,
    // interval_us, clock offset, trim, entries kept
    recordBeat = dialect == Dialect.MARIADB ? prefix + "record_beat" : null;
    callRecordBeat = recordBeat == null ? null
        : "CALL " + recordBeat + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  }

  /**
   * PostgreSQL: a beat as one data-modifying statement, so one round trip in auto-commit mode.
   * It applies the beat only if it is newer (the conditions of {@link #recordIfNewer}) and the
   * row readable, appends the history row and, with new progress, the event, trims both when
   * asked, and yields the agent's row as it now is in {@link Rows#heartbeat}'s columns. Only a
   * beat that did not apply reads the row, locked, so that it gets the newest committed state
   * rather than the statement's snapshot. The trims see the snapshot, without the rows the
   * statement appends, so they keep one row fewer of the old ones.
   *
   * <p>Parameters: 1 seq, 2 task_id, 3 status, 4 cpu, 5 progress, 6 new progress, 7 offset,
   * 8 interval_us, 9 offset, 10 id, 11 incarnation, 12 seq; 13 new progress; 14 trim, 15 id,
   * 16 old history rows kept; 17 trim, 18 id, 19 old events kept; 20 id.
   */
  private String recordOne() {
    String readableNotLeft = java.util.Arrays.stream(AgentStatus.values())
        .filter(s -> s != AgentStatus.LEFT).map(s -> "'" + s.name() + "'")
        .collect(java.util.stream.Collectors.joining(", "));
    String row = "id, " + AGENT_COLUMNS + ", last_seen_at";
    return "WITH upd AS (UPDATE " + agents + " SET seq = ?, task_id = ?, status = ?, cpu = ?,"
        + " progress = ?, progress_at = CASE WHEN ? THEN " + now + " ELSE progress_at END,"
        + " interval_us = ?, last_seen_at = " + now + " WHERE id = ? AND incarnation = ?"
        + " AND seq < ? AND status IN (" + readableNotLeft + ") AND cpu IS NOT NULL"
        + " AND last_seen_at IS NOT NULL AND (interval_us IS NULL OR interval_us > 0)"
        + " RETURNING " + row + "),"
        + " hist AS (INSERT INTO " + heartbeats + " (" + AGENT_COLUMNS + ", recorded_at, agent_id)"
        + " SELECT " + AGENT_COLUMNS + ", last_seen_at, id FROM upd),"
        + " ev AS (INSERT INTO " + events + " (incarnation, seq, task_id, progress, recorded_at,"
        + " agent_id) SELECT incarnation, seq, task_id, progress, last_seen_at, id FROM upd"
        + " WHERE ?),"
        + " trim_h AS (" + trimIn(heartbeats) + "),"
        + " trim_e AS (" + trimIn(events) + "),"
        + " stale AS (SELECT " + row + " FROM " + agents + " WHERE id = ?"
        + " AND NOT EXISTS (SELECT 1 FROM upd) FOR UPDATE)"
        + " SELECT " + row + " FROM upd UNION ALL SELECT " + row + " FROM stale";
  }

  /** Deletes, when asked, an applied beat's old entries beyond the newest {@code ?}. */
  private static String trimIn(String table) {
    return "DELETE FROM " + table + " WHERE ? AND agent_id IN (SELECT id FROM upd) AND id <="
        + " (SELECT id FROM " + table + " WHERE agent_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)";
  }

  /**
   * PostgreSQL and H2: renew many leases in one statement over four arrays (names, holders,
   * tokens, ttls), yielding the renewed rows. Every parameter but the arrays is the clock offset;
   * the arrays are parameters {@link #firstArray()} to {@code firstArray() + 3}, of
   * {@link #arrayParameters()}.
   */

  private String arrays() {
    if (dialect == Dialect.H2) {
      // the clock is read once, in a one-row derived table, not three times per row
      return "SELECT " + LEASE_COLUMNS + " FROM FINAL TABLE (MERGE INTO " + leases + " l USING"
          + " (SELECT u.*, c.now FROM UNNEST(CAST(? AS " + H2_ID_ARRAY + "), CAST(? AS "
          + H2_ID_ARRAY + "), CAST(? AS BIGINT ARRAY), CAST(? AS BIGINT ARRAY))"
          + " u(name, holder, token, ttl) CROSS JOIN (SELECT " + now + " AS now) c) r"
          + " ON l.name = r.name AND l.holder = r.holder AND l.token = r.token"
          + " AND l.expires_at > r.now WHEN MATCHED THEN UPDATE SET renewed_at = r.now,"
          + " expires_at = r.now + r.ttl, ttl_us = r.ttl, unreadable_since = NULL)";
    }
    // the rows are locked in name order by the sub-select (its sort completes before it locks
    // the first row), so two renewals of overlapping sets queue instead of deadlocking
    return "UPDATE " + leases + " l SET renewed_at = " + now + ", expires_at = " + now
        + " + r.ttl, ttl_us = r.ttl, unreadable_since = NULL FROM (SELECT u.name, u.holder,"
        + " u.token, u.ttl FROM " + leases + " x JOIN unnest(?::text[], ?::text[], ?::bigint[],"
        + " ?::bigint[]) AS u(name, holder, token, ttl) ON x.name = u.name COLLATE \"C\""
        + " ORDER BY x.name COLLATE \"C\" FOR UPDATE OF x) r WHERE l.name = r.name COLLATE \"C\""
        + " AND l.holder = r.holder COLLATE \"C\" AND l.token = r.token AND l.expires_at > " + now
        + " RETURNING l.name, l.holder, l.token, l.acquired_at, l.renewed_at, l.expires_at,"
        + " l.transitions";
  }

  /** How many parameters {@link #renewArrays} has: four arrays and the clock offsets. */
  int arrayParameters() {
    return dialect == Dialect.H2 ? 5 : 7;
  }

  /** The position of the names array in {@link #renewArrays}. */
  int firstArray() {
    return dialect == Dialect.H2 ? 1 : 3;
  }

  /**
   * MariaDB: renew {@code count} leases of one ttl in one statement. Parameters: offset, offset,
   * ttl, ttl, then name, holder, token per lease, then offset. The literals compare in the
   * columns' collation (a literal is coercible), byte for byte as the single renewal does.
   */
  String renewList(int count) {
    return "UPDATE " + leases + " SET renewed_at = " + now + ", expires_at = " + now + " + ?,"
        + " ttl_us = ?, unreadable_since = NULL WHERE (name, holder, token) IN (" + "(?, ?, ?), ".repeat(count - 1)
        + "(?, ?, ?)) AND expires_at > " + now;
  }

  /** Generic: the rows of {@code count} leases and the store clock, after a batch of renewals. */
  String leasesWithNow(int count) {
    return "SELECT " + LEASE_COLUMNS + ", " + now + " FROM " + leases + " WHERE name IN ("
        + "?, ".repeat(count - 1) + "?)";
  }

  /** The id of the newest entry of an agent beyond the newest {@code offset}. */
  String nthNewest(String table) {
    return "SELECT id FROM " + table + " WHERE agent_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?";
  }

  /** Deletes an agent's entries up to an id. */
  String deleteUpTo(String table) {
    return "DELETE FROM " + table + " WHERE agent_id = ? AND id <= ?";
  }
}
