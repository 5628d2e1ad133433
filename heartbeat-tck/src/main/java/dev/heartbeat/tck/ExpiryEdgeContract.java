package dev.heartbeat.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Lease;
import dev.heartbeat.spi.HeartbeatStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Compare-and-set at the expiry edge, on a store whose commits are delayed
 * ({@link DelayedCommitHarness}): a renewal applied just before expiry whose commit is slow must
 * not be overwritten by an acquisition that read the lease just after expiry; two acquisitions of
 * an expired lease give one holder; eight threads renewing and acquiring one lease with a short
 * ttl never see two terms overlap. Overlap is judged by the store's own answers: once the store
 * said a term lasts until {@code t} (by acquiring or renewing it), no other term may start before
 * {@code t}, unless the term was released.
 */
public abstract class ExpiryEdgeContract extends StoreContract {
  private static final Duration TTL = Duration.ofSeconds(10);
  /**
   * How long a held commit waits for the other call to reach the lock it holds, unless that call
   * answers first. A call that had not reached it by then reads the committed write and cannot
   * break the contract: the wait bounds the test, it decides no outcome.
   */
  private static final Duration REACH = Duration.ofMillis(1500);
  private static final long TIMEOUT_SECONDS = 60;

  /** For subclasses, one per store. */
  protected ExpiryEdgeContract() {}

  private final List<HeartbeatStore> opened = new ArrayList<>();
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "expiry-edge");
    thread.setDaemon(true);
    return thread;
  });

  /**
   * The store under test.
   *
   * @return its harness
   */
  @Override
  protected abstract DelayedCommitHarness harness();

  private HeartbeatStore open(CommitHold hold) {
    HeartbeatStore store = harness().openHoldingCommits(time, HISTORY_LIMIT, hold);
    opened.add(store);
    return store;
  }

  @AfterEach
  void closeHoldingStores() {
    pool.shutdownNow();
    opened.forEach(HeartbeatStore::close);
    opened.clear();
  }

  @Test
  void aRenewalCommittingSlowlyAtTheExpiryEdgeIsNotOverwrittenByAnAcquisition()
      throws Exception {
    HeldCommit gate = new HeldCommit(TIMEOUT_SECONDS);
    HeartbeatStore store = open(gate);
    Lease a = store.tryAcquire("edge", "a", TTL).orElseThrow();
    time.advance(TTL.minusSeconds(2));
    Future<Optional<Lease>> renewal = pool.submit(gate.holding(
        () -> store.renew("edge", "a", a.token(), TTL)));
    gate.awaitReachedOr(renewal); // applied two seconds before expiry, not yet committed
    time.advance(Duration.ofSeconds(4)); // the old term has expired; the renewal lasts 6 s more
    Future<Optional<Lease>> acquisition = pool.submit(() -> store.tryAcquire("edge", "b", TTL));
    awaitAnswerOrReach(acquisition); // b has read the old row and waits on the renewal's lock
    gate.open();

    Optional<Lease> renewed = renewal.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Optional<Lease> taken = acquisition.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertThat(renewed).as("renewed two seconds before expiry").isPresent();
    assertThat(taken).as("b took the lease whose renewal %s committed", renewed).isEmpty();
    assertThat(store.lease("edge")).contains(renewed.orElseThrow());
  }

  @Test
  void twoAcquisitionsOfAnExpiredLeaseOneCommittingSlowlyGiveOneHolder() throws Exception {
    HeldCommit gate = new HeldCommit(TIMEOUT_SECONDS);
    HeartbeatStore store = open(gate);
    Lease a = store.tryAcquire("edge", "a", TTL).orElseThrow();
    time.advance(TTL.plusSeconds(1));
    Future<Optional<Lease>> first = pool.submit(gate.holding(
        () -> store.tryAcquire("edge", "b", TTL)));
    gate.awaitReachedOr(first);
    Future<Optional<Lease>> second = pool.submit(() -> store.tryAcquire("edge", "c", TTL));
    awaitAnswerOrReach(second);
    gate.open();

    Optional<Lease> b = first.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Optional<Lease> c = second.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertThat(b.isPresent() ^ c.isPresent()).as("exactly one of %s and %s", b, c).isTrue();
    Lease winner = b.or(() -> c).orElseThrow();
    assertThat(winner.token()).isGreaterThan(a.token());
    assertThat(store.lease("edge")).contains(winner);
  }

  @Test
  void eightThreadsRenewingAndAcquiringWithAShortTtlNeverOverlap() throws Exception {
    HeartbeatStore store = open(ExpiryEdgeContract::jitter);
    Duration ttl = Duration.ofSeconds(1);
    int threads = 8;
    int steps = 50;
    Map<Long, Term> terms = new ConcurrentHashMap<>();
    AtomicReference<String> broken = new AtomicReference<>();
    AtomicInteger renewals = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String me = "h" + t;
      running.add(pool.submit(() -> {
        start.await();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long mine = 0;
        for (int i = 0; i < steps; i++) {
          if (mine == 0) {
            Optional<Lease> got = store.tryAcquire("contended", me, ttl);
            if (got.isPresent()) {
              mine = got.get().token();
              Term term = new Term(me, got.get().acquiredAt(), got.get().expiresAt());
              if (terms.putIfAbsent(mine, term) != null) {
                broken.set("token " + mine + " granted twice: " + terms.get(mine) + ", " + term);
              }
            }
          } else if (random.nextInt(20) == 0) {
            if (store.release("contended", me, mine)) {
              terms.get(mine).released = true; // it ends now, before the end it was given
            }
            mine = 0;
          } else if (random.nextInt(10) < 6) {
            Optional<Lease> got = store.renew("contended", me, mine, ttl);
            if (got.isEmpty()) {
              mine = 0;
            } else {
              renewals.incrementAndGet();
              terms.get(mine).confirm(got.get().expiresAt());
            }
          } else {
            store.lease("contended");
          }
          if (random.nextInt(10) < 3) {
            time.advance(Duration.ofMillis(200));
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : running) {
      f.get(2, TimeUnit.MINUTES);
    }
    assertThat(broken.get()).isNull();
    List<Map.Entry<Long, Term>> byToken = new ArrayList<>(terms.entrySet());
    byToken.sort(Map.Entry.comparingByKey());
    for (int i = 1; i < byToken.size(); i++) {
      Map.Entry<Long, Term> before = byToken.get(i - 1);
      Map.Entry<Long, Term> after = byToken.get(i);
      if (before.getValue().released) {
        continue;
      }
      assertThat(after.getValue().acquiredAt())
          .as("token %d (%s) began before token %d (%s) ended", after.getKey(), after.getValue(),
              before.getKey(), before.getValue())
          .isAfterOrEqualTo(before.getValue().until());
    }
    assertThat(terms).as("the lease changed hands").hasSizeGreaterThan(1);
    assertThat(renewals.get()).isPositive();
  }

  /** A short random delay before some commits: widens every race between write and commit. */
  private static void jitter() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (random.nextBoolean()) {
      LockSupport.parkNanos(random.nextLong(3_000_000));
    }
  }

  /** Waits until {@code call} answered, or at most {@link #REACH}. */
  private static void awaitAnswerOrReach(Future<?> call) throws Exception {
    try {
      call.get(REACH.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // still running: it waits on the held commit's locks
    }
  }

  /** One term as the store described it: its holder, start, and the latest end it confirmed. */
  private static final class Term {
    private final String holder;
    private final Instant acquiredAt;
    private final AtomicReference<Instant> until;
    /** Set by its holder's thread once released; read after every thread has ended. */
    volatile boolean released;

    Term(String holder, Instant acquiredAt, Instant until) {
      this.holder = holder;
      this.acquiredAt = acquiredAt;
      this.until = new AtomicReference<>(until);
    }

    Instant acquiredAt() {
      return acquiredAt;
    }

    Instant until() {
      return until.get();
    }

    void confirm(Instant expiresAt) {
      until.accumulateAndGet(expiresAt, (x, y) -> x.isAfter(y) ? x : y);
    }

    @Override
    public String toString() {
      return holder + " from " + acquiredAt + " until " + until.get();
    }
  }
}
