package dev.heartbeat.jdbc;

import dev.heartbeat.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the rows of many names and the store clock, {@value Renewals#READ_CHUNK} names per
 * {@code SELECT ... WHERE name IN (...)}, and keeps the readable, unexpired ones. After a batch
 * of conditional renewals that is exactly the renewed leases: a renewal that did not apply
 * found its lease expired, or held by another term, and it stays so. An unreadable row is
 * reported and noticed ({@link LeaseTable#notice}), as the single renewal does.
 */
final class ReadBack {
  private final Sql sql;
  private final LeaseTable table;

  ReadBack(Sql sql, LeaseTable table) {
    this.sql = sql;
    this.table = table;
  }

  /** The readable rows of {@code names} unexpired by the store clock, by name. */
  Map<String, Lease> unexpired(Connection c, List<String> names, long offset)
      throws SQLException {
    Map<String, Lease> out = new HashMap<>();
    List<String> unreadable = new java.util.ArrayList<>();
    for (int from = 0; from < names.size(); from += Renewals.READ_CHUNK) {
      List<String> some = names.subList(from, Math.min(names.size(), from + Renewals.READ_CHUNK));
      try (PreparedStatement ps = c.prepareStatement(sql.leasesWithNow(some.size()))) {
        ps.setLong(1, offset);
        for (int i = 0; i < some.size(); i++) {
          ps.setString(2 + i, some.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long dbNow = rs.getLong(8);
            String name = rs.getString(1);
            Optional<Lease> lease = table.readable(rs, name);
            if (lease.isEmpty()) {
              unreadable.add(name);
            }
            lease.filter(l -> l.expiresAt().isAfter(Rows.instant(dbNow)))
                .ifPresent(l -> out.put(l.name(), l));
          }
        }
      }
    }
    table.notice(c, unreadable);
    return out;
  }
}
