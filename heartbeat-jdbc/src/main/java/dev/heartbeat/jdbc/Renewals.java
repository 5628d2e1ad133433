package dev.heartbeat.jdbc;

import dev.heartbeat.Lease;
import dev.heartbeat.spi.LeaseRenewal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Batch renewal. PostgreSQL: one {@code UPDATE ... FROM unnest(names, holders, tokens, ttls)
 * ... RETURNING} per {@value #ARRAY_CHUNK} leases, one round trip each. MariaDB and H2: one transaction
 * holding a JDBC batch of the single conditional renewals (in name order, so that two batches
 * lock rows in the same order) and one {@code SELECT ... WHERE name IN (...)} that reads the
 * results back with the database clock, per {@value #CHUNK} leases: a renewal succeeded when the row still has its holder
 * and token and now expires after that clock (a renewal that did not apply had found the lease
 * expired, and it stays expired).
 */
final class Renewals {
  /** Leases per statement on PostgreSQL. */
  static final int ARRAY_CHUNK = 10_000;
  /** Leases per transaction elsewhere. */
  static final int CHUNK = 500;

  private final Sql sql;
  private final Jdbc jdbc;
  private final LeaseTable table;
  private final LongSupplier offset;

  Renewals(Sql sql, Jdbc jdbc, LeaseTable table, LongSupplier offset) {
    this.sql = sql;
    this.jdbc = jdbc;
    this.table = table;
    this.offset = offset;
  }

  /**
   * Binds {@link Sql#renew} (and the same first eight parameters of {@link Sql#renewOne}):
   * offset, offset, ttl, ttl, name, holder, token, offset.
   */
  static void bind(PreparedStatement ps, long offset, String name, String holder, long token,
      long ttlUs) throws SQLException {
    ps.setLong(1, offset);
    ps.setLong(2, offset);
    ps.setLong(3, ttlUs);
    ps.setLong(4, ttlUs);
    ps.setString(5, name);
    ps.setString(6, holder);
    ps.setLong(7, token);
    ps.setLong(8, offset);
  }

  List<Optional<Lease>> renewAll(List<LeaseRenewal> renewals) {
    Map<String, Lease> renewed = new HashMap<>();
    String operation = "renewAll(" + renewals.size() + " leases)";
    int size = sql.dialect.returning() ? ARRAY_CHUNK : CHUNK;
    for (int from = 0; from < renewals.size(); from += size) {
      List<LeaseRenewal> chunk = renewals.subList(from, Math.min(renewals.size(), from + size));
      renewed.putAll(sql.dialect.returning()
          ? jdbc.call(operation, c -> arrays(c, chunk))
          : jdbc.transaction(operation, c -> batch(c, chunk)));
    }
    List<Optional<Lease>> out = new ArrayList<>(renewals.size());
    for (LeaseRenewal r : renewals) {
      Lease lease = renewed.get(r.name());
      out.add(lease != null && lease.holder().equals(r.holder()) && lease.token() == r.token()
          ? Optional.of(lease) : Optional.empty());
    }
    return out;
  }

  private Map<String, Lease> arrays(Connection c, List<LeaseRenewal> chunk) throws SQLException {
    int n = chunk.size();
    String[] names = new String[n];
    String[] holders = new String[n];
    Long[] tokens = new Long[n];
    Long[] ttls = new Long[n];
    for (int i = 0; i < n; i++) {
      LeaseRenewal r = chunk.get(i);
      names[i] = r.name();
      holders[i] = r.holder();
      tokens[i] = r.token();
      ttls[i] = Rows.micros(r.ttl());
    }
    Map<String, Lease> out = new HashMap<>();
    long off = offset.getAsLong();
    try (PreparedStatement ps = c.prepareStatement(sql.renewArrays())) {
      ps.setLong(1, off);
      ps.setLong(2, off);
      Array[] arrays = {c.createArrayOf("text", names), c.createArrayOf("text", holders),
          c.createArrayOf("bigint", tokens), c.createArrayOf("bigint", ttls)};
      for (int i = 0; i < arrays.length; i++) {
        ps.setArray(3 + i, arrays[i]);
      }
      ps.setLong(7, off);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          table.readable(rs, rs.getString(1)).ifPresent(l -> out.put(l.name(), l));
        }
      }
    }
    List<String> missed = chunk.stream().map(LeaseRenewal::name)
        .filter(name -> !out.containsKey(name)).distinct().toList();
    readBack(c, missed, off); // rare (lost, expired, released, unreadable): reports the unreadable
    return out;
  }

  /**
   * The rows of {@code names} that are readable and unexpired by the database clock, read in
   * chunks of {@value #CHUNK}; an unreadable row is reported (as the single renewal does).
   */
  private Map<String, Lease> readBack(Connection c, List<String> names, long off)
      throws SQLException {
    Map<String, Lease> out = new HashMap<>();
    for (int from = 0; from < names.size(); from += CHUNK) {
      List<String> some = names.subList(from, Math.min(names.size(), from + CHUNK));
      try (PreparedStatement ps = c.prepareStatement(sql.leasesWithNow(some.size()))) {
        ps.setLong(1, off);
        for (int i = 0; i < some.size(); i++) {
          ps.setString(2 + i, some.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long dbNow = rs.getLong(8);
            table.readable(rs, rs.getString(1))
                .filter(l -> l.expiresAt().isAfter(Rows.instant(dbNow)))
                .ifPresent(l -> out.put(l.name(), l));
          }
        }
      }
    }
    return out;
  }

  private Map<String, Lease> batch(Connection c, List<LeaseRenewal> chunk) throws SQLException {
    List<LeaseRenewal> ordered = new ArrayList<>(chunk);
    ordered.sort(Comparator.comparing(LeaseRenewal::name));
    long off = offset.getAsLong();
    try (PreparedStatement ps = c.prepareStatement(sql.renew)) {
      for (LeaseRenewal r : ordered) {
        bind(ps, off, r.name(), r.holder(), r.token(), Rows.micros(r.ttl()));
        ps.addBatch();
      }
      ps.executeBatch();
    }
    return readBack(c, ordered.stream().map(LeaseRenewal::name).distinct().toList(), off);
  }
}
