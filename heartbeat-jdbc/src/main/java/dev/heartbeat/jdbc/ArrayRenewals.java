package dev.heartbeat.jdbc;

import dev.heartbeat.Lease;
import dev.heartbeat.spi.LeaseRenewal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL and H2: a chunk is one statement ({@link Sql#renewArrays}) that binds the names,
 * holders, tokens and ttls as four arrays and yields the rows it renewed: PostgreSQL with
 * {@code UPDATE ... FROM unnest(..) ... RETURNING}, H2 with {@code SELECT ... FROM FINAL TABLE
 * (MERGE INTO ... USING UNNEST(..) ... WHEN MATCHED THEN UPDATE ...)}. Each row is renewed iff it
 * has the holder and token and has not expired by the database clock, which is constant in the
 * statement. The names that were not renewed (rare: lost, expired, released or unreadable) are
 * read back once, which reports the unreadable ones. On H2 the statement's cost is almost all
 * H2's own cost of updating a row (about 5 us, measured with chunks from 100 to 10,000), so a
 * batch there is only a little cheaper per lease than a single renewal.
 */
final class ArrayRenewals implements Renewals.Chunk {
  private final Sql sql;
  private final LeaseTable table;
  private final ReadBack readBack;

  ArrayRenewals(Sql sql, LeaseTable table, ReadBack readBack) {
    this.sql = sql;
    this.table = table;
    this.readBack = readBack;
  }

  @Override
  public Map<String, Lease> renew(Connection c, List<LeaseRenewal> chunk, long offset)
      throws SQLException {
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
    boolean h2 = sql.dialect == Dialect.H2;
    Array[] arrays = {c.createArrayOf(h2 ? "VARCHAR" : "text", names),
        c.createArrayOf(h2 ? "VARCHAR" : "text", holders),
        c.createArrayOf(h2 ? "BIGINT" : "bigint", tokens),
        c.createArrayOf(h2 ? "BIGINT" : "bigint", ttls)};
    Map<String, Lease> out = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql.renewArrays)) {
      int first = sql.firstArray();
      for (int i = 1; i <= sql.arrayParameters(); i++) {
        if (i >= first && i < first + arrays.length) {
          ps.setArray(i, arrays[i - first]);
        } else {
          ps.setLong(i, offset);
        }
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          table.readable(rs, rs.getString(1)).ifPresent(l -> out.put(l.name(), l));
        }
      }
    }
    List<String> missed = chunk.stream().map(LeaseRenewal::name)
        .filter(name -> !out.containsKey(name)).distinct().toList();
    readBack.unexpired(c, missed, offset); // only to report the unreadable
    return out;
  }
}
