package dev.heartbeat.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Lease;
import dev.heartbeat.spi.LeaseRenewal;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The set-based batch renewal on every database: names and holders match byte for byte, ttls
 * may differ within a batch, duplicates get one answer, batches span chunks, and two stores
 * renewing overlapping sets at once never deadlock.
 */
class BatchRenewalTest {
  /** Long enough to outlive a slow setup: a server's clock runs in real time too. */
  private static final Duration HELD = Duration.ofMinutes(10);

  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void namesAndHoldersMatchByteForByte(JdbcHarness db) {
    try (JdbcStore store = open(db, new ManualTime())) {
      Lease lease = store.tryAcquire("x", "h", HELD).orElseThrow();
      long t = lease.token();
      Duration ttl = Duration.ofSeconds(30);
      List<Optional<Lease>> answers = store.renewAll(List.of(new LeaseRenewal("X", "h", t, ttl),
          new LeaseRenewal("x", "H", t, ttl), new LeaseRenewal("x ", "h", t, ttl),
          new LeaseRenewal("x", "h ", t, ttl), new LeaseRenewal("x", "h", t, ttl)));
      assertThat(answers.subList(0, 4)).allMatch(Optional::isEmpty);
      assertThat(answers.get(4)).get().extracting(Lease::ttl).isEqualTo(ttl);
      assertThat(store.leases()).extracting(Lease::name).containsExactly("x");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void leasesOfDifferentTtlsAreRenewedInOneBatch(JdbcHarness db) {
    ManualTime time = new ManualTime();
    try (JdbcStore store = open(db, time)) {
      int[] seconds = {20, 30, 20, 40, 30, 20, 50, 50, 20, 30};
      List<LeaseRenewal> renewals = acquire(store, "ttl", seconds.length, i -> seconds[i]);
      time.advance(Duration.ofSeconds(1));
      List<Optional<Lease>> answers = store.renewAll(renewals);
      for (int i = 0; i < seconds.length; i++) {
        Lease renewed = answers.get(i).orElseThrow();
        assertThat(renewed.name()).isEqualTo(renewals.get(i).name());
        assertThat(renewed.ttl()).isEqualTo(Duration.ofSeconds(seconds[i]));
        assertThat(store.lease(renewed.name())).contains(renewed);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void duplicatesGetOneAnswerAndTheLastTtl(JdbcHarness db) {
    try (JdbcStore store = open(db, new ManualTime())) {
      long t = store.tryAcquire("d", "a", HELD).orElseThrow().token();
      List<Optional<Lease>> answers = store.renewAll(List.of(
          new LeaseRenewal("d", "a", t, Duration.ofSeconds(20)),
          new LeaseRenewal("d", "a", t + 5, Duration.ofSeconds(30)),
          new LeaseRenewal("d", "b", t, Duration.ofSeconds(30)),
          new LeaseRenewal("d", "a", t, Duration.ofSeconds(40))));
      assertThat(answers.get(0)).isPresent().isEqualTo(answers.get(3));
      assertThat(answers.get(1)).isEmpty();
      assertThat(answers.get(2)).isEmpty();
      assertThat(answers.get(3)).get().extracting(Lease::ttl).isEqualTo(Duration.ofSeconds(40));
      assertThat(store.lease("d")).isEqualTo(answers.get(3));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void aBatchLargerThanAChunkRenewsEveryLease(JdbcHarness db) {
    try (JdbcStore store = open(db, new ManualTime())) {
      int size = Renewals.LIST_CHUNK + 7;
      List<LeaseRenewal> renewals = acquire(store, "big", size, i -> i % 100 == 0 ? 20 + i : 30);
      List<Optional<Lease>> answers = store.renewAll(renewals);
      for (int i = 0; i < size; i++) {
        assertThat(answers.get(i)).get().extracting(Lease::name, Lease::ttl)
            .containsExactly(renewals.get(i).name(), renewals.get(i).ttl());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void twoStoresRenewingOverlappingSetsAtOnceNeverDeadlock(JdbcHarness db) throws Exception {
    ManualTime time = new ManualTime();
    try (JdbcStore one = open(db, time);
        JdbcStore two = JdbcStore.builder(db.dataSource()).tablePrefix(one.tablePrefix()).build()) {
      two.clockOffset(time::elapsed);
      List<LeaseRenewal> all = acquire(one, "shared", 800, i -> 30);
      List<LeaseRenewal> first = new ArrayList<>();
      List<LeaseRenewal> second = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        LeaseRenewal r = all.get(i);
        if (i < 600) { // three ttls, so that MariaDB sends three statements, grouped differently
          first.add(new LeaseRenewal(r.name(), r.holder(), r.token(), ttl(i % 3)));
        }
        if (i >= 200) {
          second.add(0, new LeaseRenewal(r.name(), r.holder(), r.token(), ttl((i + 1) % 3)));
        }
      }
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = List.of(pool.submit(() -> rounds(one, first, start)),
            pool.submit(() -> rounds(two, second, start)));
        start.countDown();
        for (Future<Integer> result : results) {
          assertThat(result.get(2, TimeUnit.MINUTES)).isEqualTo(20);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(one.racesLost() + two.racesLost()).as("no deadlock, nothing run again")
          .isZero();
    }
  }

  /** Renews {@code renewals} twenty times; every renewal must succeed. */
  private static int rounds(JdbcStore store, List<LeaseRenewal> renewals, CountDownLatch start)
      throws InterruptedException {
    start.await();
    int done = 0;
    for (int round = 0; round < 20; round++) {
      assertThat(store.renewAll(renewals)).hasSize(renewals.size()).allMatch(Optional::isPresent);
      done++;
    }
    return done;
  }

  private static Duration ttl(int kind) {
    return Duration.ofSeconds(30 + 10L * kind);
  }

  private static JdbcStore open(JdbcHarness db, ManualTime time) {
    JdbcStore store = db.fresh(10);
    store.clockOffset(time::elapsed);
    return store;
  }

  /** Acquires {@code count} leases for holder "a"; renewal {@code i} asks for ttl(i) seconds. */
  private static List<LeaseRenewal> acquire(JdbcStore store, String prefix, int count,
      java.util.function.IntUnaryOperator seconds) {
    List<LeaseRenewal> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Lease lease = store.tryAcquire(prefix + "-" + i, "a", HELD).orElseThrow();
      out.add(new LeaseRenewal(lease.name(), "a", lease.token(),
          Duration.ofSeconds(seconds.applyAsInt(i))));
    }
    return out;
  }
}
