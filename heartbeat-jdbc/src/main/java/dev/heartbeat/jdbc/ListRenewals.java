package dev.heartbeat.jdbc;

import dev.heartbeat.Lease;
import dev.heartbeat.spi.LeaseRenewal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * MariaDB/MySQL, which have neither arrays nor {@code UPDATE ... RETURNING}: a chunk's renewals
 * are grouped by ttl, and each group of two or more is one {@code UPDATE ... WHERE (name,
 * holder, token) IN ((..), ..) AND expires_at > now} ({@link Sql#renewList}); the leases alone
 * in their ttl go as one JDBC batch of the single conditional renewal ({@link Sql#renew}), so a
 * batch of all different ttls costs what it did before. The optimizer reads the listed keys as
 * ranges of the primary key, in its order, so every statement locks its rows in key order; a
 * literal compares in the column's collation ({@code utf8mb4_nopad_bin}), byte for byte. A
 * multi-table UPDATE joining a derived table of the rows measured 2.5 times slower (MariaDB
 * defers its updates to the second table). Then one read-back ({@link ReadBack}) of the
 * chunk's names with the database clock gives the renewed leases with the database's values.
 * A chunk is one transaction that first locks its rows in key order ({@code SELECT ... FOR
 * UPDATE}), so the read-back sees exactly what the updates left: a lease is reported renewed only
 * when the read-back shows this renewal applied (its ttl, renewed after it was acquired), never
 * because an acquisition that the update could not yet see committed the same term meanwhile
 * (the kit's linearizability property caught that).
 */
final class ListRenewals implements Renewals.Chunk {
  private final Sql sql;
  private final ReadBack readBack;

  ListRenewals(Sql sql, ReadBack readBack) {
    this.sql = sql;
    this.readBack = readBack;
  }

  @Override
  public Map<String, Lease> renew(Connection c, List<LeaseRenewal> chunk, long offset)
      throws SQLException {
    // read committed: the locks are the chunk's rows alone, no next-key locks on neighbours that
    // a renewer of an overlapping set holds (which deadlocked under repeatable read)
    int isolation = c.getTransactionIsolation();
    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    try {
      return renewLocked(c, chunk, offset);
    } finally {
      c.setTransactionIsolation(isolation); // for the connection's next transaction
    }
  }

  private Map<String, Lease> renewLocked(Connection c, List<LeaseRenewal> chunk, long offset)
      throws SQLException {
    lockInNameOrder(c, chunk);
    Map<Long, List<LeaseRenewal>> byTtl = new TreeMap<>();
    for (LeaseRenewal r : chunk) {
      byTtl.computeIfAbsent(Rows.micros(r.ttl()), ttl -> new ArrayList<>()).add(r);
    }
    List<LeaseRenewal> alone = new ArrayList<>();
    for (Map.Entry<Long, List<LeaseRenewal>> group : byTtl.entrySet()) {
      if (group.getValue().size() == 1) {
        alone.add(group.getValue().getFirst());
      } else {
        update(c, group.getKey(), group.getValue(), offset);
      }
    }
    if (!alone.isEmpty()) {
      alone.sort(Comparator.comparing(LeaseRenewal::name));
      try (PreparedStatement ps = c.prepareStatement(sql.renew)) {
        for (LeaseRenewal r : alone) {
          Renewals.bind(ps, offset, r.name(), r.holder(), r.token(), Rows.micros(r.ttl()));
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    Map<String, Lease> read = readBack.unexpired(c,
        chunk.stream().map(LeaseRenewal::name).distinct().toList(), offset);
    Map<String, Lease> renewed = new java.util.HashMap<>();
    for (LeaseRenewal r : chunk) {
      Lease lease = read.get(r.name());
      if (lease != null && applied(lease, r)) {
        renewed.put(r.name(), lease);
      }
    }
    return renewed;
  }

  /**
   * Whether the read-back shows this renewal applied, not merely the same term: an acquisition
   * that committed after the update missed its row (so the update changed nothing) but before
   * the read-back shows the term unexpired, yet with the acquisition's ttl and a renewal time
   * equal to its acquisition time. Such a lease is reported lost, never renewed.
   */
  private static boolean applied(Lease lease, LeaseRenewal r) {
    return lease.holder().equals(r.holder()) && lease.token() == r.token()
        && lease.renewedAt().isAfter(lease.acquiredAt()) && lease.ttl().equals(r.ttl());
  }

  /**
   * Inside the chunk's transaction: locks the named rows (and, for names without a row, the gaps
   * an acquisition would insert into) in key order, so that the updates and the read-back see one
   * state that no other writer changes meanwhile, and renewers of overlapping sets queue.
   */
  private void lockInNameOrder(Connection c, List<LeaseRenewal> chunk) throws SQLException {
    List<String> names = chunk.stream().map(LeaseRenewal::name).distinct().toList();
    String marks = String.join(", ", java.util.Collections.nCopies(names.size(), "?"));
    try (PreparedStatement ps = c.prepareStatement("SELECT name FROM " + sql.leases
        + " WHERE name IN (" + marks + ") ORDER BY name FOR UPDATE")) {
      for (int i = 0; i < names.size(); i++) {
        ps.setString(i + 1, names.get(i));
      }
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rs.getString(1);
        }
      }
    }
  }

  private void update(Connection c, long ttlUs, List<LeaseRenewal> group, long offset)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.renewList(group.size()))) {
      ps.setLong(1, offset);
      ps.setLong(2, offset);
      ps.setLong(3, ttlUs);
      ps.setLong(4, ttlUs);
      int i = 5;
      for (LeaseRenewal r : group) {
        ps.setString(i++, r.name());
        ps.setString(i++, r.holder());
        ps.setLong(i++, r.token());
      }
      ps.setLong(i, offset);
      ps.executeUpdate();
    }
  }
}
