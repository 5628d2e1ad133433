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
 * Each statement is its own transaction (auto-commit), so no statement waits for a lock while
 * holding another's: a renewal either applied (and the read-back sees it, unless the lease
 * expired or was taken since, when it is rightly reported lost) or did not (and its lease stays
 * expired or another term's).
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
    return readBack.unexpired(c, chunk.stream().map(LeaseRenewal::name).distinct().toList(),
        offset);
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
