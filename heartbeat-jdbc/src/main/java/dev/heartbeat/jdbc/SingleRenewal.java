package dev.heartbeat.jdbc;

import dev.heartbeat.Lease;
import dev.heartbeat.jdbc.Terms.Term;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Renewal of one lease: one conditional statement in auto-commit ({@link Sql#renewOne}) that
 * also yields the renewed lease, so the common case is one round trip. PostgreSQL answers with
 * {@code UPDATE ... RETURNING}, H2 with {@code SELECT ... FROM FINAL TABLE (UPDATE ...)}: the
 * row as updated. MariaDB/MySQL has neither. There the update also requires the term's
 * acquired_at and transitions as the store remembers them ({@link Terms}) and sets
 * {@code renewed_at = LAST_INSERT_ID(now)}: the OK packet answering the UPDATE carries that
 * value, which the driver hands out as the generated key without another round trip; the
 * database's now is constant within a statement, so expires_at is that now plus the ttl, and
 * the lease returned is exactly the row as updated. When the store does not know the term (the
 * lease was acquired through another store, or forgotten) or the update matched nothing, the
 * row is read once: if it still is this holder's under this token, its term is remembered and
 * the update runs with it; otherwise the lease is not held. No transaction is needed: every
 * statement is conditional on the token, which identifies the term. A row found unreadable is
 * reported, as everywhere. On MariaDB the connection's {@code LAST_INSERT_ID()} is the renewal's
 * timestamp afterwards.
 */
final class SingleRenewal {
  private final Sql sql;
  private final Jdbc jdbc;
  private final LeaseTable table;
  private final Terms terms;
  private final LongSupplier offset;

  SingleRenewal(Sql sql, Jdbc jdbc, LeaseTable table, Terms terms, LongSupplier offset) {
    this.sql = sql;
    this.jdbc = jdbc;
    this.table = table;
    this.terms = terms;
    this.offset = offset;
  }

  Optional<Lease> renew(String name, String holder, long token, Duration ttl) {
    long ttlUs = Rows.micros(ttl);
    return jdbc.call("renew(" + name + ")", c -> sql.dialect == Dialect.MARIADB
        ? renewTerm(c, name, holder, token, ttlUs)
        : renewReturning(c, name, holder, token, ttlUs));
  }

  private Optional<Lease> renewReturning(Connection c, String name, String holder, long token,
      long ttlUs) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.renewOne)) {
      Renewals.bind(ps, offset.getAsLong(), name, holder, token, ttlUs);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return table.readable(rs, name);
        }
      }
    }
    table.read(c, name); // not renewed: an unreadable row is reported
    return Optional.empty();
  }

  private Optional<Lease> renewTerm(Connection c, String name, String holder, long token,
      long ttlUs) throws SQLException {
    Term known = terms.get(name, holder, token);
    if (known != null) {
      Optional<Lease> renewed = update(c, name, known, ttlUs);
      if (renewed != null) {
        return renewed;
      }
    }
    Term seen = table.read(c, name).map(Term::of) // reports an unreadable row
        .filter(t -> t.is(holder, token) && !t.equals(known)).orElse(null);
    Optional<Lease> renewed = seen == null ? null : update(c, name, seen, ttlUs);
    if (renewed == null) {
      terms.forget(name, holder, token);
      return Optional.empty();
    }
    renewed.ifPresent(terms::remember);
    return renewed;
  }

  /** The renewed lease, or null when the update matched no row. */
  private Optional<Lease> update(Connection c, String name, Term term, long ttlUs)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.renewOne,
        Statement.RETURN_GENERATED_KEYS)) {
      Renewals.bind(ps, offset.getAsLong(), name, term.holder(), term.token(), ttlUs);
      ps.setLong(9, Rows.micros(term.acquiredAt()));
      ps.setLong(10, term.transitions());
      if (ps.executeUpdate() == 0) {
        return null;
      }
      try (ResultSet keys = ps.getGeneratedKeys()) {
        if (keys.next()) {
          long now = keys.getLong(1);
          return Optional.of(new Lease(name, term.holder(), term.token(), term.acquiredAt(),
              Rows.instant(now), Rows.instant(now + ttlUs), term.transitions()));
        }
      }
    }
    // a driver that does not pass LAST_INSERT_ID on: the row as it is now, if still this term's
    return table.read(c, name).filter(l -> Term.of(l).equals(term));
  }
}
