package dev.heartbeat.tck;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Lease;
import dev.heartbeat.ProgressEvent;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.LeaseRenewal;
import dev.heartbeat.spi.Retention;
import dev.heartbeat.spi.StoreProblem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A real store seen through a faulty link: every call passes through to the store underneath
 * unless the test has made the link fail (every call throws) or hang (every call blocks until
 * healed, like a black-holed connection). Not a mock: what does get through is the real store's
 * answer. One instance per client, so one client can be cut off while others are not.
 */
public final class FaultyStore implements HeartbeatStore {
  /** The state of the link. */
  public enum Mode { HEALTHY, FAILING, HANGING, BROKEN }

  private final HeartbeatStore store;
  private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.HEALTHY);
  private final AtomicReference<CountDownLatch> healed =
      new AtomicReference<>(new CountDownLatch(0));
  private final AtomicInteger calls = new AtomicInteger();

  /** Wraps {@code store}; the wrapped store is not closed by {@link #close()}. */
  public FaultyStore(HeartbeatStore store) {
    this.store = store;
  }

  /** Every call from now on throws {@link HeartbeatStoreException}. */
  public void fail() {
    mode.set(Mode.FAILING);
  }

  /**
   * Every call from now on throws an {@link AssertionError}, not an exception: the worst a broken
   * driver can do.
   */
  public void breakDown() {
    mode.set(Mode.BROKEN);
  }

  /** Every call from now on blocks until {@link #heal()}. */
  public void hang() {
    healed.set(new CountDownLatch(1));
    mode.set(Mode.HANGING);
  }

  /** Calls pass again; hanging calls go on to the store. */
  public void heal() {
    mode.set(Mode.HEALTHY);
    healed.get().countDown();
  }

  /** Calls made through this link so far. */
  public int calls() {
    return calls.get();
  }

  private <T> T pass(String op, Supplier<T> call) {
    calls.incrementAndGet();
    switch (mode.get()) {
      case FAILING -> throw new HeartbeatStoreException(describe(), op, "link cut by the test");
      case HANGING -> {
        try {
          healed.get().await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new HeartbeatStoreException(describe(), op, "interrupted while hanging");
        }
      }
      case BROKEN -> throw new AssertionError("driver bug injected by the test");
      case HEALTHY -> { }
    }
    return call.get();
  }

  @Override
  public String describe() {
    return "faulty(" + store.describe() + ")";
  }

  @Override
  public Heartbeat register(Beat first) {
    return pass("register", () -> store.register(first));
  }

  @Override
  public Optional<Heartbeat> record(Beat beat) {
    return pass("record", () -> store.record(beat));
  }

  @Override
  public List<Optional<Heartbeat>> recordAll(List<Beat> beats) {
    return pass("recordAll", () -> store.recordAll(beats));
  }

  @Override
  public Optional<Heartbeat> agent(String agentId) {
    return pass("agent", () -> store.agent(agentId));
  }

  @Override
  public List<Heartbeat> agents() {
    return pass("agents", store::agents);
  }

  @Override
  public List<Heartbeat> history(String agentId, int limit) {
    return pass("history", () -> store.history(agentId, limit));
  }

  @Override
  public List<ProgressEvent> events(String agentId, int limit) {
    return pass("events", () -> store.events(agentId, limit));
  }

  @Override
  public long prune(Retention retention) {
    return pass("prune", () -> store.prune(retention));
  }

  @Override
  public Optional<Lease> tryAcquire(String name, String holder, Duration ttl) {
    return pass("tryAcquire", () -> store.tryAcquire(name, holder, ttl));
  }

  @Override
  public Optional<Lease> renew(String name, String holder, long token, Duration ttl) {
    return pass("renew", () -> store.renew(name, holder, token, ttl));
  }

  @Override
  public List<Optional<Lease>> renewAll(List<LeaseRenewal> renewals) {
    return pass("renewAll", () -> store.renewAll(renewals));
  }

  @Override
  public boolean release(String name, String holder, long token) {
    return pass("release", () -> store.release(name, holder, token));
  }

  @Override
  public Optional<Lease> lease(String name) {
    return pass("lease", () -> store.lease(name));
  }

  @Override
  public List<Lease> leases() {
    return pass("leases", store::leases);
  }

  @Override
  public Instant now() {
    return store.now();
  }

  @Override
  public List<StoreProblem> problems() {
    return store.problems();
  }

  @Override
  public void close() {
    heal();
  }
}
