package dev.heartbeat.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.heartbeat.Lease;
import dev.heartbeat.tck.ManualTime;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Single renewal on every database: the term (token, acquiredAt, transitions) is the database's
 * whichever store renews, renewedAt and expiresAt are the database clock's, and the lease
 * returned is exactly the row as renewed; on MariaDB a renewal is one UPDATE once the store
 * knows the term.
 */
class SingleRenewalTest {
  private static final Duration TTL = Duration.ofSeconds(30);

  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void aStoreThatDidNotAcquireTheLeaseRenewsTheSameTermByTheDatabaseClock(JdbcHarness db) {
    ManualTime time = new ManualTime(Instant.now().minus(Duration.ofMinutes(7)));
    try (JdbcStore acquirer = db.fresh(10); JdbcStore other = twin(db, acquirer, time)) {
      acquirer.clockOffset(time::elapsed);
      Lease acquired = acquirer.tryAcquire("leader", "a", TTL).orElseThrow();
      Lease last = acquired;
      for (JdbcStore renewer : new JdbcStore[] {other, other, acquirer, other, acquirer}) {
        time.advance(Duration.ofSeconds(1));
        Instant before = renewer.now();
        Lease renewed = renewer.renew("leader", "a", acquired.token(), TTL).orElseThrow();
        Instant after = renewer.now();
        assertThat(renewed).usingRecursiveComparison()
            .comparingOnlyFields("name", "holder", "token", "acquiredAt", "transitions")
            .isEqualTo(acquired);
        assertThat(renewed.renewedAt()).as("the database clock").isBetween(before, after)
            .isAfter(last.renewedAt());
        assertThat(Duration.between(time.instant(), renewed.renewedAt()))
            .as("not the client clock, minutes off").isGreaterThan(Duration.ofMinutes(6));
        assertThat(renewed.expiresAt()).isEqualTo(renewed.renewedAt().plus(TTL));
        assertThat(acquirer.lease("leader")).as("the row as renewed").contains(renewed);
        last = renewed;
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void aNewTermAcquiredThroughAnotherStoreIsRenewedWithItsOwnValues(JdbcHarness db) {
    ManualTime time = new ManualTime();
    try (JdbcStore first = db.fresh(10); JdbcStore second = twin(db, first, time)) {
      first.clockOffset(time::elapsed);
      Lease old = first.tryAcquire("leader", "a", TTL).orElseThrow();
      first.renew("leader", "a", old.token(), TTL).orElseThrow();
      time.advance(TTL.plusSeconds(1));
      Lease next = second.tryAcquire("leader", "a", TTL).orElseThrow();
      assertThat(next.token()).isGreaterThan(old.token());
      assertThat(first.renew("leader", "a", old.token(), TTL)).as("the old term").isEmpty();
      for (JdbcStore renewer : new JdbcStore[] {first, first, second}) {
        time.advance(Duration.ofSeconds(1));
        Lease renewed = renewer.renew("leader", "a", next.token(), TTL).orElseThrow();
        assertThat(renewed.acquiredAt()).isEqualTo(next.acquiredAt());
        assertThat(renewed.transitions()).isEqualTo(next.transitions());
        assertThat(first.lease("leader")).contains(renewed);
      }
    }
  }

  /**
   * The store's memory of a term is checked by the database: a row whose acquired_at and
   * transitions changed under the same holder and token (as after a fencing counter deleted by
   * hand) is renewed with the row's values.
   */
  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void aTermThatChangedUnderTheStoreIsRenewedWithTheRowsValues(JdbcHarness db) {
    try (JdbcStore store = db.fresh(10)) {
      Lease acquired = store.tryAcquire("leader", "a", TTL).orElseThrow();
      store.renew("leader", "a", acquired.token(), TTL).orElseThrow();
      int rows = store.withConnection(c -> {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + store.sql().leases
            + " SET acquired_at = acquired_at - 1000000, transitions = transitions + 5"
            + " WHERE name = ?")) {
          ps.setString(1, "leader");
          return ps.executeUpdate();
        }
      });
      assertThat(rows).isEqualTo(1);
      Lease renewed = store.renew("leader", "a", acquired.token(), TTL).orElseThrow();
      assertThat(renewed.acquiredAt()).isEqualTo(acquired.acquiredAt().minusSeconds(1));
      assertThat(renewed.transitions()).isEqualTo(acquired.transitions() + 5);
      assertThat(store.lease("leader")).contains(renewed);
    }
  }

  /**
   * Counted by the server on the only connection of a pool: a renewal of a term the store knows
   * is one statement, an UPDATE; one it does not know adds one SELECT, after which it is known.
   * No transaction, no session settings.
   */
  @Test
  void onMariaDbARenewalIsOneUpdateOnceTheTermIsKnown() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(Databases.MARIADB.url());
    config.setMaximumPoolSize(1);
    config.setPoolName("one-connection");
    try (HikariDataSource one = new HikariDataSource(config)) {
      String prefix = JdbcHarness.randomPrefix();
      JdbcStore store = JdbcStore.builder(one).tablePrefix(prefix).build();
      JdbcStore other = JdbcStore.builder(one).tablePrefix(prefix).build();
      try {
        store.createSchema();
        Lease lease = store.tryAcquire("leader", "a", TTL).orElseThrow();
        assertThat(statements(store, () -> store.renew("leader", "a", lease.token(), TTL)))
            .as("known from the acquisition").isEqualTo(Map.of("Com_update", 1L));
        assertThat(statements(store, () -> other.renew("leader", "a", lease.token(), TTL)))
            .as("unknown: read first").isEqualTo(Map.of("Com_select", 1L, "Com_update", 1L));
        assertThat(statements(store, () -> other.renew("leader", "a", lease.token(), TTL)))
            .as("known from the renewal").isEqualTo(Map.of("Com_update", 1L));
        assertThat(statements(store, () -> other.renew("leader", "b", lease.token(), TTL)))
            .as("not this holder's: the read tells")
            .isEqualTo(Map.of("Com_select", 1L));
        ManualTime time = new ManualTime();
        store.clockOffset(time::elapsed);
        time.advance(TTL);
        assertThat(statements(store, () -> store.renew("leader", "a", lease.token(), TTL)))
            .as("expired: the update matches nothing, the read tells")
            .isEqualTo(Map.of("Com_update", 1L, "Com_select", 1L));
      } finally {
        store.dropSchema();
      }
    }
  }

  @Test
  void termsAreBoundedAndForgetOnlyTheirOwnTerm() {
    Terms terms = new Terms(3);
    for (int i = 0; i < 5; i++) {
      terms.remember(lease("n" + i, 1));
    }
    assertThat(terms.size()).isEqualTo(3);
    terms.remember(lease("x", 2));
    assertThat(terms.size()).isEqualTo(3);
    assertThat(terms.get("x", "a", 2)).isEqualTo(Terms.Term.of(lease("x", 2)));
    assertThat(terms.get("x", "a", 1)).isNull();
    assertThat(terms.get("x", "b", 2)).isNull();
    terms.forget("x", "a", 1);
    terms.forget("x", "b", 2);
    assertThat(terms.get("x", "a", 2)).isNotNull();
    terms.forget("x", "a", 2);
    assertThat(terms.get("x", "a", 2)).isNull();
    Terms none = new Terms(0);
    none.remember(lease("x", 1));
    assertThat(none.size()).isZero();
  }

  private static Lease lease(String name, long token) {
    Instant at = Instant.parse("2030-01-01T00:00:00Z");
    return new Lease(name, "a", token, at, at, at.plus(TTL), token);
  }

  /** How many statements of each kind the server ran for {@code renewal}. */
  private static Map<String, Long> statements(JdbcStore store, Supplier<Optional<Lease>> renewal) {
    Map<String, Long> before = status(store);
    renewal.get();
    Map<String, Long> after = status(store);
    Map<String, Long> ran = new HashMap<>();
    after.forEach((name, value) -> {
      long delta = value - before.getOrDefault(name, 0L);
      // every SHOW counts itself as a question
      if (delta != 0 && !name.equals("Com_show_status") && !name.equals("Questions")) {
        ran.put(name, delta);
      }
    });
    long questions = after.get("Questions") - before.get("Questions") - 1;
    assertThat(ran.values().stream().mapToLong(Long::longValue).sum())
        .as("every statement counted by kind").isEqualTo(questions);
    return ran;
  }

  private static Map<String, Long> status(JdbcStore store) {
    return store.withConnection(c -> {
      Map<String, Long> out = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SHOW SESSION STATUS WHERE Variable_name"
          + " = 'Questions' OR Variable_name LIKE 'Com\\_%'");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
      return out;
    });
  }

  /** A second store on the tables of {@code store}, sharing its test clock. */
  private static JdbcStore twin(JdbcHarness db, JdbcStore store, ManualTime time) {
    JdbcStore twin = JdbcStore.builder(db.dataSource()).tablePrefix(store.tablePrefix()).build();
    twin.clockOffset(time::elapsed);
    return twin;
  }
}
