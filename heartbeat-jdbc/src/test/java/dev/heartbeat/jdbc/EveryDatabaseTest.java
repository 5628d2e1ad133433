package dev.heartbeat.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.Lease;
import dev.heartbeat.spi.LeaseRenewal;
import dev.heartbeat.spi.Retention;
import dev.heartbeat.tck.Beats;
import dev.heartbeat.tck.ManualTime;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the kit does not cover, on every real database. */
class EveryDatabaseTest {
  private static final Duration TTL = Duration.ofSeconds(30);

  static Stream<JdbcHarness> databases() {
    return Stream.of(Databases.H2_MEMORY, Databases.H2_FILE, Databases.POSTGRES,
        Databases.MARIADB);
  }

  @ParameterizedTest
  @MethodSource("databases")
  void expiryFollowsTheDatabaseClockNotAClientClockMinutesOff(JdbcHarness db) throws Exception {
    Instant skewed = Instant.now().minus(Duration.ofMinutes(7));
    ManualTime time = new ManualTime(skewed);
    try (JdbcStore store = db.fresh(10)) {
      store.clockOffset(time::elapsed);
      Instant database = rawDatabaseNow(store);
      assertThat(Duration.between(database, store.now()).abs()).isLessThan(Duration.ofSeconds(5));
      assertThat(Duration.between(time.instant(), store.now())).isGreaterThan(Duration.ofMinutes(6));

      Heartbeat beat = store.register(Beats.plain("a", 1));
      assertThat(Duration.between(database, beat.at()).abs()).isLessThan(Duration.ofSeconds(5));

      Lease lease = store.tryAcquire("leader", "a", TTL).orElseThrow();
      assertThat(lease.expiresAt()).as("expires by the database, long after the client's now")
          .isAfter(time.instant().plus(Duration.ofMinutes(6)));
      time.advance(TTL.minusSeconds(2));
      assertThat(store.tryAcquire("leader", "b", TTL)).as("held by the database clock").isEmpty();
      time.advance(Duration.ofSeconds(2));
      assertThat(store.tryAcquire("leader", "b", TTL)).as("expired by the database clock")
          .isPresent();
    }
  }

  /** The database clock, without the store's test offset. */
  static Instant rawDatabaseNow(JdbcStore store) {
    return store.withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement(store.sql().selectNow)) {
        ps.setLong(1, 0);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return Rows.instant(rs.getLong(1));
        }
      }
    });
  }

  @ParameterizedTest
  @MethodSource("databases")
  void anUnreadableRowIsReportedWithItsTableAndKey(JdbcHarness db) {
    try (JdbcStore store = db.fresh(10)) {
      store.register(Beats.plain("bad", 1));
      db.damageAgent(store, "bad");
      assertThat(store.agents()).isEmpty();
      assertThat(store.problems()).singleElement().satisfies(p -> {
        assertThat(p.location()).isEqualTo(store.tablePrefix() + "agents/bad");
        assertThat(p.problem()).contains("'EXPLODED'");
      });
      store.tryAcquire("l", "a", TTL).orElseThrow();
      db.damageLease(store, "l");
      assertThat(store.lease("l")).isEmpty();
      assertThat(store.problems()).hasSize(2).last().satisfies(p -> {
        assertThat(p.location()).isEqualTo(store.tablePrefix() + "leases/l");
        assertThat(p.problem()).contains("token");
      });
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void createSchemaIsIdempotentAndKeepsRows(JdbcHarness db) {
    try (JdbcStore store = db.fresh(10)) {
      store.register(Beats.plain("kept", 1));
      store.createSchema();
      store.createSchema();
      assertThat(store.agent("kept")).isPresent();
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void awkwardLeaseNamesAndHoldersRoundTripThroughEveryOperation(JdbcHarness db) {
    List<String> names = List.of("l'; DROP TABLE leases;--", "リーダー", "a\"b\\c", "trailing ",
        "{x}:y", "%_*", "Ü".repeat(128));
    try (JdbcStore store = db.fresh(10)) {
      List<LeaseRenewal> renewals = new ArrayList<>();
      for (String name : names) {
        String holder = ("h'" + name).substring(0, Math.min(name.length() + 2, 128));
        Lease lease = store.tryAcquire(name, holder, TTL).orElseThrow();
        assertThat(lease.holder()).isEqualTo(holder);
        assertThat(store.lease(name)).contains(lease);
        renewals.add(new LeaseRenewal(name, lease.holder(), lease.token(), TTL));
      }
      assertThat(store.tryAcquire("trailing", "x", TTL)).as("no padding collation").isPresent();
      List<Optional<Lease>> renewed = store.renewAll(renewals);
      assertThat(renewed).allMatch(Optional::isPresent);
      assertThat(renewed).extracting(r -> r.orElseThrow().name()).containsExactlyElementsOf(names);
      for (LeaseRenewal r : renewals) {
        assertThat(store.renew(r.name(), r.holder(), r.token(), TTL)).isPresent();
        assertThat(store.release(r.name(), r.holder(), r.token())).isTrue();
      }
      assertThat(store.leases()).extracting(Lease::name).containsExactly("trailing");
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void eightClientsRacingForANewNameHaveExactlyOneWinner(JdbcHarness db) throws Exception {
    try (JdbcStore store = db.fresh(10)) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        for (int round = 0; round < 5; round++) {
          String name = "fresh-" + round;
          CountDownLatch start = new CountDownLatch(1);
          List<Future<Optional<Lease>>> results = new ArrayList<>();
          for (int t = 0; t < 8; t++) {
            String holder = "h" + t;
            results.add(pool.submit(() -> {
              start.await();
              return store.tryAcquire(name, holder, TTL);
            }));
          }
          start.countDown();
          long winners = 0;
          for (Future<Optional<Lease>> f : results) {
            Optional<Lease> lease = f.get(1, TimeUnit.MINUTES);
            if (lease.isPresent()) {
              winners++;
              assertThat(lease.get().token()).isEqualTo(1);
            }
          }
          assertThat(winners).as(name).isEqualTo(1);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /**
   * Sixteen clients acquiring distinct names at once, first new names, then the same names again
   * after each was released (its lease row deleted, its counter kept): every acquisition succeeds
   * at the first call, and no transaction has to be run again. On MariaDB an update of a missing
   * row followed by an insert took gap locks that deadlocked such clients (error 1213; retried,
   * and past three attempts failed).
   */
  @ParameterizedTest
  @MethodSource("databases")
  void sixteenClientsAcquiringDistinctNamesAtOnceNeverDeadlock(JdbcHarness db) throws Exception {
    int clients = 16;
    int names = 40;
    try (JdbcStore store = db.fresh(10)) {
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      try {
        for (String phase : List.of("new", "released")) {
          CountDownLatch start = new CountDownLatch(1);
          List<Future<Integer>> results = new ArrayList<>();
          for (int t = 0; t < clients; t++) {
            int client = t;
            results.add(pool.submit(() -> {
              start.await();
              int acquired = 0;
              for (int i = 0; i < names; i++) {
                String name = "distinct-" + (i * clients + client);
                Lease lease = store.tryAcquire(name, "h" + client, TTL).orElseThrow(
                    () -> new AssertionError(phase + ": " + name + " not acquired"));
                assertThat(store.release(name, lease.holder(), lease.token())).isTrue();
                acquired++;
              }
              return acquired;
            }));
          }
          start.countDown();
          for (Future<Integer> f : results) {
            assertThat(f.get(2, TimeUnit.MINUTES)).as(phase).isEqualTo(names);
          }
        }
        assertThat(store.racesLost()).as("transactions run again after a deadlock").isZero();
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /**
   * Sixteen clients registering new agents at once, then registering them again: no call fails
   * and no transaction is run again. On MariaDB an update of the missing row followed by an
   * insert took gap locks that deadlocked such clients (4 failures and 33 retries were seen).
   */
  @ParameterizedTest
  @MethodSource("databases")
  void sixteenClientsRegisteringNewAgentsAtOnceNeverDeadlock(JdbcHarness db) throws Exception {
    int clients = 16;
    int agents = 30;
    try (JdbcStore store = db.fresh(10)) {
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      try {
        for (long run = 1; run <= 2; run++) {
          long seq = run;
          CountDownLatch start = new CountDownLatch(1);
          List<Future<Integer>> results = new ArrayList<>();
          for (int t = 0; t < clients; t++) {
            int client = t;
            results.add(pool.submit(() -> {
              start.await();
              for (int i = 0; i < agents; i++) {
                String id = "agent-" + (i * clients + client);
                assertThat(store.register(Beats.plain(id, seq)).sequence()).isEqualTo(seq);
              }
              return agents;
            }));
          }
          start.countDown();
          for (Future<Integer> f : results) {
            assertThat(f.get(2, TimeUnit.MINUTES)).isEqualTo(agents);
          }
        }
        assertThat(store.agents()).hasSize(clients * agents);
        assertThat(store.racesLost()).as("transactions run again after a deadlock").isZero();
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void pruneRemovesBeyondKeepLastInBoundedBatches(JdbcHarness db) {
    int rows = Pruner.BATCH * 2 + 500;
    try (JdbcStore store = db.fresh(rows * 2)) {
      store.register(Beats.plain("busy", 0));
      store.register(Beats.plain("quiet", 0));
      insertHistory(store, "busy", rows);
      long removed = store.prune(new Retention(Duration.ofDays(1), 10));
      assertThat(removed).isEqualTo(rows + 1 - 10);
      assertThat(store.history("busy", rows)).hasSize(10).first()
          .extracting(Heartbeat::sequence).isEqualTo((long) rows);
      assertThat(store.history("quiet", 10)).hasSize(1);
      assertThat(store.agent("busy")).isPresent();
    }
  }

  private static void insertHistory(JdbcStore store, String agent, int rows) {
    Sql sql = store.sql();
    store.withConnection(c -> {
      String insert = sql.insertHistory.replace(sql.now, "?");
      try (PreparedStatement ps = c.prepareStatement(insert)) {
        for (int seq = 1; seq <= rows; seq++) {
          ps.setString(1, "inc");
          ps.setLong(2, seq);
          ps.setString(3, null);
          ps.setString(4, AgentStatus.IDLE.name());
          ps.setDouble(5, 0);
          ps.setString(6, null);
          ps.setNull(7, java.sql.Types.BIGINT);
          ps.setNull(8, java.sql.Types.BIGINT); // interval_us
          ps.setLong(9, Rows.micros(Instant.now()));
          ps.setString(10, agent);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aJdbcUriRunsAgentsOnTheBuiltInPool(JdbcHarness db) {
    String prefix = JdbcHarness.randomPrefix();
    try {
      try (Heartbeats hb = Heartbeats.builder().uri(db.url() + "#tablePrefix=" + prefix)
          .holderId("uri-test").build()) {
        HeartbeatAgent agent = hb.agent("worker").interval(Duration.ofMinutes(1)).start();
        agent.working("task-1", "step 1");
        Heartbeat beat = agent.beat();
        assertThat(beat.agentId()).isEqualTo("worker");
        assertThat(hb.leases().tryAcquire("uri-lease", TTL)).isPresent();
      }
      JdbcStore check = JdbcStore.builder(db.dataSource()).tablePrefix(prefix).build();
      assertThat(check.agent("worker")).get().extracting(Heartbeat::status)
          .isEqualTo(AgentStatus.LEFT);
      assertThat(check.lease("uri-lease")).get().extracting(Lease::holder).isEqualTo("uri-test");
    } finally {
      JdbcStore.builder(db.dataSource()).tablePrefix(prefix).build().dropSchema();
    }
  }
}
