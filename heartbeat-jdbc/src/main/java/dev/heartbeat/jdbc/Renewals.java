package dev.heartbeat.jdbc;

import dev.heartbeat.Lease;
import dev.heartbeat.spi.LeaseRenewal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Batch renewal, set-based on every dialect. The batch is first reduced to one renewal per
 * (name, holder, token), a later duplicate's ttl winning as it would renewing one by one, and
 * sorted by name; then each chunk is renewed in auto-commit by {@link ArrayRenewals}
 * (PostgreSQL, H2: one statement over arrays per {@value #ARRAY_CHUNK} leases) or
 * {@link ListRenewals} (MariaDB: one statement per ttl per {@value #LIST_CHUNK} leases, and one
 * read-back). Every statement is its own transaction and locks the rows it renews in one
 * order (the sorted batch, or the primary key's), so two processes renewing overlapping sets
 * wait for each other but never deadlock. A renewal succeeded when the row renewed has its
 * holder and token; an element's answer is the lease of its name if that lease has the
 * element's holder and token, so duplicates get the same answer.
 */
final class Renewals {
  /** Leases per statement on PostgreSQL and H2. */
  static final int ARRAY_CHUNK = 10_000;
  /** Leases per chunk on MariaDB: 3 placeholders each, far below the 65,535 of a statement. */
  static final int LIST_CHUNK = 2_000;
  /** Names per read-back statement. */
  static final int READ_CHUNK = 2_000;
  private static final Comparator<LeaseRenewal> ORDER = Comparator.comparing(LeaseRenewal::name)
      .thenComparing(LeaseRenewal::holder).thenComparingLong(LeaseRenewal::token);

  /** Renews one sorted chunk of distinct renewals on one connection. */
  interface Chunk {
    /** The renewed leases of the chunk, by name; unreadable rows are reported. */
    Map<String, Lease> renew(Connection c, List<LeaseRenewal> chunk, long offset)
        throws SQLException;
  }

  private final Jdbc jdbc;
  private final LongSupplier offset;
  private final Chunk chunks;
  private final int size;
  private final boolean transactional;

  Renewals(Sql sql, Jdbc jdbc, LeaseTable table, LongSupplier offset) {
    this.jdbc = jdbc;
    this.transactional = sql.dialect == Dialect.MARIADB;
    this.offset = offset;
    ReadBack readBack = new ReadBack(sql, table);
    boolean lists = sql.dialect == Dialect.MARIADB;
    this.chunks = lists ? new ListRenewals(sql, readBack) : new ArrayRenewals(sql, table, readBack);
    this.size = lists ? LIST_CHUNK : ARRAY_CHUNK;
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
    List<LeaseRenewal> distinct = distinct(renewals);
    String operation = "renewAll(" + renewals.size() + " leases)";
    Map<String, Lease> renewed = new HashMap<>();
    for (int from = 0; from < distinct.size(); from += size) {
      List<LeaseRenewal> chunk = distinct.subList(from, Math.min(distinct.size(), from + size));
      // MariaDB locks the chunk's rows in name order first, in the same transaction, so that its
      // read-back sees the rows as its updates left them, not as a later writer did (PostgreSQL's
      // one statement locks them in name order itself)
      renewed.putAll(transactional
          ? jdbc.transaction(operation, c -> chunks.renew(c, chunk, offset.getAsLong()))
          : jdbc.call(operation, c -> chunks.renew(c, chunk, offset.getAsLong())));
    }
    List<Optional<Lease>> out = new ArrayList<>(renewals.size());
    for (LeaseRenewal r : renewals) {
      Lease lease = renewed.get(r.name());
      out.add(lease != null && lease.holder().equals(r.holder()) && lease.token() == r.token()
          ? Optional.of(lease) : Optional.empty());
    }
    return out;
  }

  /** One renewal per (name, holder, token), the last one's ttl, sorted by name. */
  static List<LeaseRenewal> distinct(List<LeaseRenewal> renewals) {
    record Key(String name, String holder, long token) {}
    Map<Key, LeaseRenewal> last = new HashMap<>();
    for (LeaseRenewal r : renewals) {
      last.put(new Key(r.name(), r.holder(), r.token()), r);
    }
    List<LeaseRenewal> out = new ArrayList<>(last.values());
    out.sort(ORDER);
    return out;
  }
}
