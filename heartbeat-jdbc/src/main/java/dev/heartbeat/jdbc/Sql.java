package dev.heartbeat.jdbc;

/**
 * Every statement of one store, built once from its dialect and table prefix. Only table names
 * (validated identifiers) are spliced in; every value is a bound parameter. {@code N} below is
 * the store clock, {@link Dialect#now()}, which binds the clock offset.
 */
final class Sql {
  static final String AGENT_COLUMNS =
      "incarnation, seq, task_id, status, cpu, progress, progress_at";
  static final String LEASE_COLUMNS =
      "name, holder, token, acquired_at, renewed_at, expires_at, transitions";

  final Dialect dialect;
  final String agents;
  final String heartbeats;
  final String events;
  final String leases;
  final String fencing;

  final String now;
  final String selectNow;
  // agents
  final String agentForUpdate;
  final String updateAgent;
  final String insertAgent;
  final String insertHistory;
  final String insertEvent;
  final String selectAgent;
  final String selectAgents;
  final String history;
  final String eventsOf;
  // leases
  final String lockCounter;
  final String firstCounter;
  final String bumpCounter;
  final String leaseWithNow;
  final String markUnreadable;
  final String takeLease;
  final String insertLease;
  final String renew;
  final String renewOne;
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
    now = dialect.now();
    selectNow = "SELECT " + now;

    agentForUpdate = "SELECT id, " + AGENT_COLUMNS + ", last_seen_at, " + now + " FROM "
        + agents + " WHERE id = ? FOR UPDATE";
    updateAgent = "UPDATE " + agents + " SET incarnation = ?, seq = ?, task_id = ?, status = ?,"
        + " cpu = ?, progress = ?, progress_at = ?, last_seen_at = ? WHERE id = ?";
    insertAgent = "INSERT INTO " + agents + " (" + AGENT_COLUMNS + ", last_seen_at, id)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    insertHistory = "INSERT INTO " + heartbeats + " (" + AGENT_COLUMNS + ", recorded_at, agent_id)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    insertEvent = "INSERT INTO " + events + " (incarnation, seq, task_id, progress, recorded_at,"
        + " agent_id) VALUES (?, ?, ?, ?, ?, ?)";
    selectAgent = "SELECT id, " + AGENT_COLUMNS + ", last_seen_at FROM " + agents + " WHERE id = ?";
    selectAgents = "SELECT id, " + AGENT_COLUMNS + ", last_seen_at FROM " + agents;
    history = "SELECT agent_id, " + AGENT_COLUMNS + ", recorded_at, id FROM " + heartbeats
        + " WHERE agent_id = ? ORDER BY id DESC LIMIT ?";
    eventsOf = "SELECT agent_id, incarnation, seq, task_id, progress, recorded_at, id FROM "
        + events + " WHERE agent_id = ? ORDER BY id DESC LIMIT ?";

    lockCounter = "SELECT token, transitions FROM " + fencing + " WHERE name = ? FOR UPDATE";
    firstCounter = "INSERT INTO " + fencing + " (name, token, transitions) VALUES (?, 1, 1)";
    bumpCounter = "UPDATE " + fencing + " SET token = ?, transitions = ? WHERE name = ?";
    leaseWithNow = "SELECT " + now + ", l.name, l.holder, l.token, l.acquired_at, l.renewed_at,"
        + " l.expires_at, l.transitions, l.unreadable_since, f.token FROM (SELECT 1 AS one) d"
        + " LEFT JOIN " + leases + " l ON l.name = ? LEFT JOIN " + fencing + " f ON f.name = ?";
    markUnreadable = "UPDATE " + leases + " SET unreadable_since = ? WHERE name = ?";
    takeLease = "UPDATE " + leases + " SET holder = ?, token = ?, acquired_at = ?, renewed_at = ?,"
        + " expires_at = ?, ttl_us = ?, transitions = ?, unreadable_since = NULL WHERE name = ?";
    insertLease = "INSERT INTO " + leases + " (holder, token, acquired_at, renewed_at, expires_at,"
        + " ttl_us, transitions, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    String renewWhere = " WHERE name = ? AND holder = ? AND token = ? AND expires_at > " + now;
    renew = "UPDATE " + leases + " SET renewed_at = " + now + ", expires_at = " + now + " + ?,"
        + " ttl_us = ?" + renewWhere;
    // one renewal as one statement that also yields its result (SingleRenewal)
    renewOne = switch (dialect) {
      case POSTGRESQL -> renew + " RETURNING " + LEASE_COLUMNS;
      case H2 -> "SELECT " + LEASE_COLUMNS + " FROM FINAL TABLE (" + renew + ")";
      case MARIADB -> "UPDATE " + leases + " SET renewed_at = LAST_INSERT_ID(" + now + "),"
          + " expires_at = " + now + " + ?, ttl_us = ?" + renewWhere
          + " AND acquired_at = ? AND transitions = ?";
    };
    release = "DELETE FROM " + leases + " WHERE name = ? AND holder = ? AND token = ?";
    selectLease = "SELECT " + LEASE_COLUMNS + " FROM " + leases + " WHERE name = ?";
    selectLeases = "SELECT " + LEASE_COLUMNS + " FROM " + leases;
  }

  /** PostgreSQL: renew many leases in one statement over arrays. */
  String renewArrays() {
    return "UPDATE " + leases + " l SET renewed_at = " + now + ", expires_at = " + now
        + " + r.ttl, ttl_us = r.ttl FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[])"
        + " AS r(name, holder, token, ttl) WHERE l.name = r.name COLLATE \"C\""
        + " AND l.holder = r.holder COLLATE \"C\" AND l.token = r.token AND l.expires_at > " + now
        + " RETURNING l.name, l.holder, l.token, l.acquired_at, l.renewed_at, l.expires_at,"
        + " l.transitions";
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
