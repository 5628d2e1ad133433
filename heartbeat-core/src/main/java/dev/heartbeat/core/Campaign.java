package dev.heartbeat.core;

import dev.heartbeat.CallStats;
import dev.heartbeat.Lease;
import dev.heartbeat.LeaseConfig;
import dev.heartbeat.LeaseDiagnostics;
import dev.heartbeat.Leadership;
import dev.heartbeat.RevokeReason;
import dev.heartbeat.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One election: CANDIDATE (no lease; acquires every retry interval) or LEADER (lease held; renews
 * every renew interval). Validity is local: it ends {@code renewDeadline} after the last
 * successful acquisition or renewal was sent, measured on both the monotonic clock and the wall
 * clock, whichever ends first: the monotonic clock does not advance while the machine is
 * suspended, the wall clock does; a wall clock set back only leaves the monotonic deadline. The
 * ticker revokes at that deadline whether or not the store ever answers, which is before the store
 * can expire the lease ({@code ttl} after it received that call).
 *
 * <p>What changes together (the lease held, its term, its deadline) is one immutable
 * {@link State} behind one volatile, so {@link #lease()} and {@link #isLeader()} never see half of
 * two terms. All transitions happen under {@link #lock}, none of them blocks, and each queues its
 * listener call under the lock, so the listener hears them in the order they happened: the ticker
 * applies call results and deadlines, {@link #resign()} ends the campaign.
 */
final class Campaign implements Leadership {
  private static final Logger LOG = LoggerFactory.getLogger(Campaign.class);

  /**
   * The lease held (null while candidate), its term, and when its local validity ends: at
   * {@code validUntil} of the monotonic clock or at {@code wallUntil}, whichever comes first.
   */
  record State(Lease held, Term term, long validUntil, Instant wallUntil, long acquiredNanos) {
    static final State CANDIDATE = new State(null, null, 0, Instant.MIN, 0);
  }

  /** What {@link #resign()} left for {@link #finish} to do off the lock. */
  record Resignation(Lease resigned, CompletableFuture<?> pending,
      CompletableFuture<Void> revokedHeard, boolean fromListener) {}

  private final String name;
  private final LeaseConfig config;
  private final Engine engine;
  private final Listeners listeners;
  private final ReentrantLock lock = new ReentrantLock();
  private final OutageLog outages; // guarded by lock
  private final LeadershipWaiters waiters = new LeadershipWaiters();
  private volatile boolean ended; // closed, readable without the lock
  private volatile State state = State.CANDIDATE;
  // guarded by lock
  private boolean closed;
  private long nextAttempt;
  private CompletableFuture<?> inFlight;
  /** A namesake released the lease while an attempt was on its way: if it loses, try at once. */
  private boolean releasedMeanwhile;
  private long epoch;
  private long sentAt;
  private Instant sentAtWall = Instant.MIN;
  private CallStats calls = CallStats.NONE;
  private long timesElected;
  private boolean verified;

  Campaign(String name, LeaseConfig config, Engine engine, Listeners listeners, long now) {
    this.name = name;
    this.config = config;
    this.engine = engine;
    this.listeners = listeners;
    this.nextAttempt = now;
    this.outages = new OutageLog(name);
  }

  LeaseConfig config() {
    return config;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean isLeader() {
    return leads(state, time().nanoTime(), time().instant());
  }

  @Override
  public Optional<Lease> lease() {
    State s = state;
    return leads(s, time().nanoTime(), time().instant()) ? Optional.of(s.held())
        : Optional.empty();
  }

  /** Whether {@code term} is the current one and still valid. */
  boolean leadsIn(Term term) {
    State s = state;
    return s.term() == term && leads(s, time().nanoTime(), time().instant());
  }

  private static boolean leads(State s, long now, Instant wall) {
    return s.held() != null && now - s.validUntil() < 0 && wall.isBefore(s.wallUntil());
  }

  /** Whether the validity of {@code s}, held, has ended on either clock. */
  private boolean expired(State s, long now) {
    return now - s.validUntil() >= 0 || !time().instant().isBefore(s.wallUntil());
  }

  @Override
  public boolean awaitLeadership(Duration timeout) throws InterruptedException {
    dev.heartbeat.spi.Checks.notNull("timeout", timeout);
    return waiters.await(name, time(), timeout, this::isLeader, () -> ended);
  }

  /** Wakes the threads in {@link #awaitLeadership}: the campaign was elected or ended. */
  private void wakeWaiters() {
    waiters.wakeAll();
  }

  // ------------------------------------------------------------------ ticker side

  /** A planned step for the scheduler. */
  enum Step { NOTHING, ACQUIRE, RENEW }

  /** Applies deadlines; says what to send now. Ticker thread. */
  Step due(long now) {
    lock.lock();
    try {
      if (closed) {
        return Step.NOTHING;
      }
      State s = state;
      if (s.held() != null && expired(s, now)) {
        if (inFlight != null) {
          // the renewal that never answered is a failed call, whatever it brings later
          engine.calls().gaveUp(inFlight);
          fail(new java.util.concurrent.TimeoutException("no answer within "
              + config.renewDeadline()), now);
        }
        revoke(RevokeReason.DEADLINE_PASSED, null);
      }
      if (inFlight != null) {
        if (state.held() == null && now - sentAt >= config.renewDeadline().toNanos()) {
          // an acquisition that long unanswered could not make us leader in time any more
          engine.calls().gaveUp(inFlight);
          epoch++;
          inFlight = null;
          fail(new java.util.concurrent.TimeoutException("no answer within "
              + config.renewDeadline()), now);
        } else {
          return Step.NOTHING;
        }
      }
      if (now - nextAttempt < 0) {
        return Step.NOTHING;
      }
      return state.held() != null ? Step.RENEW : Step.ACQUIRE;
    } finally {
      lock.unlock();
    }
  }

  /** When the ticker must look at this campaign again. */
  long wakeAt(long now) {
    lock.lock();
    try {
      if (closed) {
        return Long.MAX_VALUE;
      }
      long at = inFlight == null ? nextAttempt : Long.MAX_VALUE;
      State s = state;
      if (s.held() != null) {
        long wallLeft = Math.max(0, Duration.between(time().instant(), s.wallUntil()).toNanos());
        at = Math.min(at, Math.min(s.validUntil(), now + wallLeft));
      } else if (inFlight != null) {
        at = Math.min(at, sentAt + config.renewDeadline().toNanos());
      }
      return at;
    } finally {
      lock.unlock();
    }
  }

  /** The lease to renew: the one held, whatever its validity (the ticker checked it). */
  Optional<Lease> held() {
    return Optional.ofNullable(state.held());
  }

  /** Records a call as sent; returns its epoch, or -1 when closed. */
  long sent(CompletableFuture<?> call, long now) {
    lock.lock();
    try {
      if (closed) {
        return -1;
      }
      inFlight = call;
      sentAt = now;
      sentAtWall = time().instant();
      return ++epoch;
    } finally {
      lock.unlock();
    }
  }

  /** Applies the answer to an acquisition or renewal sent in {@code callEpoch}. */
  void answered(long callEpoch, Optional<Lease> answer, Duration latency, Throwable error) {
    long now = time().nanoTime();
    lock.lock();
    try {
      if (callEpoch != epoch || closed) {
        late(answer, error);
        return;
      }
      inFlight = null;
      boolean retryAtOnce = releasedMeanwhile;
      releasedMeanwhile = false;
      if (error != null) {
        fail(error, now);
        return;
      }
      calls = calls.success(time().instant(), latency);
      recovered();
      State s = state;
      if (answer.isEmpty()) {
        verified = true;
        if (s.held() != null) {
          revoke(RevokeReason.LOST, null);
        }
        // retries keep their schedule from when each was sent, however slow the answer; an
        // attempt judged before a namesake's release is followed by one at once
        nextAttempt = retryAtOnce ? now : sentAt + config.retryInterval().toNanos();
        return;
      }
      Lease lease = answer.get();
      verified = lease.holder().equals(engine.config().holderId()) && lease.name().equals(name)
          && (s.held() == null || s.held().token() == lease.token());
      long until = sentAt + config.renewDeadline().toNanos();
      Instant wallUntil = sentAtWall.plus(config.renewDeadline());
      if (now - until >= 0 || !time().instant().isBefore(wallUntil)) {
        // answered too late to act on: give it back and try again
        epoch++;
        release(lease);
        if (s.held() != null) {
          revoke(RevokeReason.DEADLINE_PASSED, null);
        }
        nextAttempt = now;
        return;
      }
      if (s.held() == null) {
        timesElected++;
        Term term = new Term(lease, this);
        state = new State(lease, term, until, wallUntil, sentAt);
        LOG.info("elected leader of {} as {} with fencing token {}", name, lease.holder(),
            lease.token());
        listeners.elected(term);
        wakeWaiters();
        engine.leaseWatches().changed(name);
      } else {
        state = new State(lease, s.term(), until, wallUntil, s.acquiredNanos());
      }
      nextAttempt = sentAt + config.renewInterval().toNanos();
    } finally {
      lock.unlock();
    }
  }

  /**
   * An answer to a call this campaign no longer waits for (given up on, or sent as it closed): a
   * lease it won is given back, so that no one sits on it until it expires.
   */
  void late(Optional<Lease> answer, Throwable error) {
    if (error == null && answer != null && answer.isPresent()
        && answer.get().holder().equals(engine.config().holderId())) {
      release(answer.get());
    }
  }

  // ------------------------------------------------------------------ closing

  @Override
  public void close() {
    Resignation resignation = resign();
    if (resignation != null) {
      finish(resignation, System.nanoTime() + engine.config().closeTimeout().toNanos());
    }
  }

  /**
   * Ends the campaign at once, without blocking: not leader from now on, {@code revoked(RESIGNED)}
   * queued for the listener. Returns what is left to do, or null when closed already.
   */
  Resignation resign() {
    engine.campaigns().remove(this);
    lock.lock();
    try {
      if (closed) {
        return null;
      }
      closed = true;
      ended = true;
      wakeWaiters();
      epoch++;
      State s = state;
      state = State.CANDIDATE;
      CompletableFuture<Void> heard = s.held() == null ? null
          : listeners.revoked(s.term(), RevokeReason.RESIGNED);
      listeners.shutdown();
      return new Resignation(s.held(), s.held() == null ? inFlight : null, heard,
          listeners.onListenerThread());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Gives back what {@link #resign()} left, until {@code deadline} of real time: an acquisition
   * that won after the campaign stopped, or the lease resigned once the listener has stopped
   * acting on it (not waited for when resigning from the listener's own thread).
   */
  void finish(Resignation r, long deadline) {
    if (r.pending() != null && StoreCalls.awaitQuietly(r.pending(), deadline)
        && r.pending().join() instanceof StoreCalls.Timed<?> timed
        && timed.value() instanceof Optional<?> answer
        && answer.orElse(null) instanceof Lease won
        && won.holder().equals(engine.config().holderId())) {
      // an acquisition answered after we stopped: give it back here, the ticker may be gone
      StoreCalls.awaitQuietly(release(won), deadline);
    }
    if (r.resigned() == null) {
      return;
    }
    LOG.info("resigning leadership of {} (token {})", name, r.resigned().token());
    // the listener stops acting as leader before anyone else can take over
    if (!r.fromListener() && !StoreCalls.awaitQuietly(r.revokedHeard(), deadline)) {
      LOG.warn("the listener of lease {} did not return from revoked within the close timeout; "
          + "the lease is not released and expires after its ttl", name);
      return;
    }
    if (StoreCalls.awaitQuietly(release(r.resigned()), deadline)) {
      engine.leaseWatches().changed(name);
      Handover.released(this, storeDescription());
    } else {
      LOG.warn("could not release lease {} in {} within the close timeout; it expires after "
          + "its ttl", name, engine.store().describe());
    }
  }

  // ------------------------------------------------------------------ helpers (lock held)

  private void revoke(RevokeReason reason, Throwable cause) {
    State lost = state;
    state = State.CANDIDATE;
    epoch++;
    inFlight = null;
    nextAttempt = time().nanoTime() + config.retryInterval().toNanos();
    LOG.warn("stepping down as leader of {} (token {}): {}{}", name, lost.held().token(), reason,
        cause == null ? "" : " (" + cause.getMessage() + ")");
    listeners.revoked(lost.term(), reason);
    engine.leaseWatches().changed(name);
  }

  private void fail(Throwable error, long now) {
    calls = calls.failure(error);
    verified = false;
    boolean leader = state.held() != null;
    Duration base = leader ? config.renewInterval().dividedBy(4) : config.retryInterval();
    Duration max = leader ? config.renewInterval() : config.ttl();
    nextAttempt = now + Backoff.delayNanos(base, max, calls.consecutiveFailures());
    outages.failed(engine.config().holderId(), engine.store().describe(), error);
  }

  private void recovered() {
    outages.succeeded(engine.store().describe());
  }

  private CompletableFuture<Boolean> release(Lease lease) {
    return engine.calls().async("release(" + name + ")",
        () -> engine.store().release(lease.name(), lease.holder(), lease.token()));
  }

  private TimeSource time() {
    return engine.config().time();
  }

  @Override
  public LeaseDiagnostics diagnostics() {
    lock.lock();
    try {
      long now = time().nanoTime();
      Instant wall = time().instant();
      State s = state;
      boolean leader = leads(s, now, wall);
      Duration age = leader ? Duration.ofNanos(now - s.acquiredNanos()) : Duration.ZERO;
      Duration valid = leader ? Duration.ofNanos(Math.min(s.validUntil() - now,
          Duration.between(wall, s.wallUntil()).toNanos())) : Duration.ZERO;
      Instant next = closed ? null : wall.plusNanos(nextAttempt - now);
      return new LeaseDiagnostics(name, engine.config().holderId(), leader,
          leader ? s.held() : null, calls, timesElected, age, valid, next, verified,
          engine.ticker(), wall);
    } finally {
      lock.unlock();
    }
  }

  /** Whether it was closed (resigned). */
  boolean isClosed() {
    return ended;
  }

  String storeDescription() {
    return engine.store().describe();
  }

  /**
   * A namesake released the lease: a candidate with no call on its way tries at once; one whose
   * attempt is on its way tries again at once if that attempt loses.
   */
  void retryNow() {
    lock.lock();
    try {
      if (closed || state.held() != null) {
        return;
      }
      if (inFlight != null) {
        releasedMeanwhile = true;
        return;
      }
      nextAttempt = time().nanoTime();
    } finally {
      lock.unlock();
    }
    engine.tickerLoop().wake();
  }

  /** Whether a call it sent has not been answered on the ticker yet (for tests). */
  boolean awaitsAnswer() {
    lock.lock();
    try {
      return inFlight != null;
    } finally {
      lock.unlock();
    }
  }

  /** Whether it holds a lease, valid or not: the ticker has not revoked it yet (for tests). */
  boolean holds() {
    return state.held() != null;
  }

  /** The listener's queue (for tests). */
  Listeners listeners() {
    return listeners;
  }

  /** How many times "calls are failing" was logged (for tests). */
  long outagesLogged() {
    return outages.outages();
  }

  /** How many times "calls recovered" was logged (for tests). */
  long recoveriesLogged() {
    return outages.recoveries();
  }

  @Override
  public String toString() {
    return "campaign " + name + " as " + engine.config().holderId();
  }
}
