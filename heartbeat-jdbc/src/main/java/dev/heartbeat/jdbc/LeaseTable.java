package dev.heartbeat.jdbc;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Lease;
import dev.heartbeat.spi.LeaseRules;
import dev.heartbeat.spi.StoreProblems;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Leases and their fencing counters. A lease that is plainly held (readable, not expired) is
 * refused after one unlocked read. Otherwise acquisition is one short transaction serialised
 * per lease name by a row lock on the name's fencing counter: the first acquisition inserts the
 * counter at token 1 (a concurrent first insert fails on the key and that client takes the
 * normal path); later ones lock it ({@code SELECT ... FOR UPDATE}), read the lease and the
 * database clock, give up if it is held, else lock the lease row and read it again, give up if
 * it is held now, else bump the counter and write the lease. The second read is what keeps a
 * renewal: renewals do not take the counter lock, and one applied just before expiry whose
 * commit is still on its way is invisible to the first read, while the locking read waits for
 * that commit and sees the renewed row (a write that trusted the first read would replace a
 * renewal the database had already confirmed to its holder). Release is
 * one conditional statement ({@code ... WHERE name = ? AND holder = ? AND token = ?}); renewal
 * is {@link SingleRenewal}'s. Acquisitions and releases keep the store's {@link Terms} current.
 */
final class LeaseTable {
  private final Sql sql;
  private final Jdbc jdbc;
  private final StoreProblems problems;
  private final LongSupplier offset;
  private final Terms terms;

  LeaseTable(Sql sql, Jdbc jdbc, StoreProblems problems, LongSupplier offset, Terms terms) {
    this.sql = sql;
    this.jdbc = jdbc;
    this.problems = problems;
    this.offset = offset;
    this.terms = terms;
  }

  Optional<Lease> tryAcquire(String name, String holder, Duration ttl) {
    String operation = "tryAcquire(" + name + ")";
    long ttlUs = Rows.micros(ttl);
    Seen seen = jdbc.call(operation, c -> look(c, name));
    if (seen == Seen.HELD) {
      return Optional.empty();
    }
    boolean counted = seen == Seen.COUNTED;
    for (int attempt = 0; attempt < Jdbc.ATTEMPTS; attempt++) {
      Optional<Lease> lease = counted
          ? jdbc.transaction(operation, c -> acquire(c, name, holder, ttlUs))
          : jdbc.transaction(operation, c -> first(c, name, holder, ttlUs));
      if (lease != null) {
        if (lease.isPresent()) {
          problems.repaired(key(name));
          terms.remember(lease.get());
        }
        return lease;
      }
      counted = !counted; // another client created the counter first, or it was deleted
    }
    throw new HeartbeatStoreException(jdbc.store(), operation,
        "the fencing counter row of '" + name + "' keeps appearing and disappearing");
  }

  /** What one unlocked read tells about a name. */
  private enum Seen { HELD, COUNTED, NEVER_ACQUIRED }

  /**
   * One read without locks: a lease that is plainly held (readable, not expired) is refused at
   * once, which is safe (it was held when read) and is what a candidate polling a taken lease
   * meets most; a name without a fencing counter was never acquired.
   */
  private Seen look(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.leaseWithNow)) {
      bindLook(ps, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long now = rs.getLong(1);
        if (rs.getString(2) != null && Rows.lease(rs, 2).expiresAt().isAfter(Rows.instant(now))) {
          return Seen.HELD;
        }
        rs.getLong(10);
        return rs.wasNull() ? Seen.NEVER_ACQUIRED : Seen.COUNTED;
      } catch (Rows.Unreadable e) {
        return Seen.COUNTED;
      }
    }
  }

  private void bindLook(PreparedStatement ps, String name) throws SQLException {
    ps.setLong(1, offset.getAsLong());
    ps.setString(2, name);
    ps.setString(3, name);
  }

  /**
   * The first acquisition of a name: creates its counter at token 1 and writes the lease, in one
   * transaction whose uncommitted counter row keeps every other acquirer of the name waiting.
   * Returns null when another client created the counter first.
   */
  private Optional<Lease> first(Connection c, String name, String holder, long ttlUs)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.firstCounter)) {
      ps.setString(1, name);
      ps.setLong(2, ttlUs);
      ps.executeUpdate();
    } catch (SQLException e) {
      if (!Jdbc.lostRace(e)) {
        throw e;
      }
      c.rollback();
      return null;
    }
    long now;
    try (PreparedStatement ps = c.prepareStatement(sql.selectNow)) {
      ps.setLong(1, offset.getAsLong());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        now = rs.getLong(1);
      }
    }
    Lease lease = new Lease(name, holder, 1, Rows.instant(now), Rows.instant(now),
        Rows.instant(now + ttlUs), 1);
    boolean rowExists; // only a leftover: its counter was deleted by hand
    try (PreparedStatement ps = c.prepareStatement(sql.selectLease)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rowExists = rs.next();
      }
    }
    write(c, lease, now, ttlUs, rowExists);
    return Optional.of(lease);
  }

  /**
   * Writes the lease row: an update when a row was seen, else an insert. Not an update that
   * finds nothing followed by an insert: on MariaDB (repeatable read) the missed update locks the
   * gap where the row would go, and two clients inserting distinct names into one gap deadlock.
   * Only acquisitions, which hold the name's counter lock, create the row, so one that was not
   * seen stays absent; one that was seen may have been released since (then it is inserted).
   */
  private void write(Connection c, Lease lease, long now, long ttlUs, boolean rowSeen)
      throws SQLException {
    if (!rowSeen || writeLease(c, sql.takeLease, lease, now, ttlUs) == 0) {
      writeLease(c, sql.insertLease, lease, now, ttlUs);
    }
  }

  /** Returns null when the name has no fencing counter yet. */
  private Optional<Lease> acquire(Connection c, String name, String holder, long ttlUs)
      throws SQLException {
    long token;
    long transitions;
    long longestTtlUs;
    try (PreparedStatement ps = c.prepareStatement(sql.lockCounter)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        token = rs.getLong(1);
        transitions = rs.getLong(2);
        longestTtlUs = rs.getLong(3); // 0 when null: a counter of an earlier version
      }
    }
    long now;
    boolean rowExists;
    try (PreparedStatement ps = c.prepareStatement(sql.leaseWithNow)) {
      bindLook(ps, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        now = rs.getLong(1);
        rowExists = rs.getString(2) != null;
        if (rowExists && held(c, rs, name, now, ttlUs, longestTtlUs)) {
          return Optional.empty();
        }
      }
    }
    if (rowExists) {
      // read without a lock, the row may carry a renewal applied and not yet committed: lock it
      // and judge it as it is once that commit is through
      try (PreparedStatement ps = c.prepareStatement(sql.lockLease)) {
        ps.setLong(1, offset.getAsLong());
        ps.setString(2, name);
        try (ResultSet rs = ps.executeQuery()) {
          rowExists = rs.next(); // gone: released since, the lease is free
          if (rowExists) {
            now = rs.getLong(1);
            if (held(c, rs, name, now, ttlUs, longestTtlUs)) {
              return Optional.empty();
            }
          }
        }
      }
    }
    Lease lease = new Lease(name, holder, token + 1, Rows.instant(now), Rows.instant(now),
        Rows.instant(now + ttlUs), transitions + 1);
    try (PreparedStatement ps = c.prepareStatement(sql.bumpCounter)) {
      ps.setLong(1, lease.token());
      ps.setLong(2, lease.transitions());
      ps.setLong(3, Math.max(longestTtlUs, ttlUs));
      ps.setString(4, name);
      ps.executeUpdate();
    }
    write(c, lease, now, ttlUs, rowExists);
    return Optional.of(lease);
  }

  /**
   * Whether the current row keeps the lease from being taken: a readable row until it expires;
   * an unreadable one until {@link LeaseRules#unreadableHold} after the store first noticed it:
   * the longest ttl granted for the name (the counter's {@code max_ttl_us}, {@code longestTtlUs},
   * or the row's own
   * {@code ttl_us}, which every renewal sets, if that is longer), or the acquirer's if longer.
   */
  private boolean held(Connection c, ResultSet rs, String name, long now, long ttlUs,
      long longestTtlUs) throws SQLException {
    try {
      return Rows.lease(rs, 2).expiresAt().isAfter(Rows.instant(now));
    } catch (Rows.Unreadable e) {
      problems.report(key(name), e.getMessage());
      long since = rs.getLong(9);
      if (rs.wasNull()) {
        notice(c, List.of(name));
        return true;
      }
      long granted = Math.max(rs.getLong(11), longestTtlUs); // null reads as 0
      Duration hold = LeaseRules.unreadableHold(Duration.of(ttlUs, ChronoUnit.MICROS),
          granted > 0 ? Duration.of(granted, ChronoUnit.MICROS) : null);
      return now < since + Rows.micros(hold);
    }
  }

  /**
   * Stamps when the store first noticed that the rows of {@code names} are unreadable (rows
   * already stamped keep their time): the hold of an unreadable lease counts from then. Any
   * read that meets such a row notices it; the holder cannot renew it from the damage on.
   */
  void notice(Connection c, List<String> names) throws SQLException {
    if (names.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sql.markUnreadable)) {
      for (String name : names) {
        ps.setLong(1, offset.getAsLong());
        ps.setString(2, name);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static int writeLease(Connection c, String statement, Lease lease, long now, long ttlUs)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(statement)) {
      ps.setString(1, lease.holder());
      ps.setLong(2, lease.token());
      ps.setLong(3, now);
      ps.setLong(4, now);
      ps.setLong(5, now + ttlUs);
      ps.setLong(6, ttlUs);
      ps.setLong(7, lease.transitions());
      ps.setString(8, lease.name());
      return ps.executeUpdate();
    }
  }

  boolean release(String name, String holder, long token) {
    terms.forget(name, holder, token);
    return jdbc.call("release(" + name + ")", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.release)) {
        ps.setString(1, name);
        ps.setString(2, holder);
        ps.setLong(3, token);
        return ps.executeUpdate() == 1;
      }
    });
  }

  Optional<Lease> lease(String name) {
    return jdbc.call("lease(" + name + ")", c -> read(c, name));
  }

  List<Lease> leases() {
    List<Lease> out = jdbc.call("leases()", c -> {
      List<Lease> list = new ArrayList<>();
      List<String> unreadable = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql.selectLeases);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          readable(rs, name).ifPresentOrElse(list::add, () -> unreadable.add(name));
        }
      }
      notice(c, unreadable);
      return list;
    });
    out.sort(Comparator.comparing(Lease::name));
    return out;
  }

  /** The row of {@code name}, expired or not; an unreadable one is reported and noticed. */
  Optional<Lease> read(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.selectLease)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Optional<Lease> lease = readable(rs, name);
        if (lease.isPresent()) {
          return lease;
        }
      }
    }
    notice(c, List.of(name));
    return Optional.empty();
  }

  Optional<Lease> readable(ResultSet rs, String name) throws SQLException {
    try {
      return Optional.of(Rows.lease(rs, 1));
    } catch (Rows.Unreadable e) {
      problems.report(key(name), e.getMessage());
      return Optional.empty();
    }
  }

  String key(String name) {
    return sql.leases + "/" + name;
  }
}
