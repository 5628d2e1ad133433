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
 * every renew interval). Validity is local: {@code validUntil = sentAt + renewDeadline} of the
 * last successful acquisition or renewal, on the monotonic clock. The ticker revokes at
 * {@code validUntil} whether or not the store ever answers, which is before the store can expire
 * the lease ({@code ttl} after it received that call).
 *
 * <p>All transitions happen under {@link #lock}, and none of them blocks: the ticker applies call
 * results and deadlines, {@link #close()} resigns. Listeners are told afterwards, in order.
 */
final class Campaign implements Leadership {
  private static final Logger LOG = LoggerFactory.getLogger(Campaign.class);

  private final String name;
  private final LeaseConfig config;
  private final Engine engine;
  private final Listeners listeners;
  private final ReentrantLock lock = new ReentrantLock();
  // guarded by lock; volatile where read without it
  private boolean closed;
  private volatile Lease held;
  private volatile long validUntil;
  private volatile long acquiredNanos;
  private volatile long nextAttempt;
  private CompletableFuture<?> inFlight;
  private long epoch;
  private long sentAt;
  private CallStats calls = CallStats.NONE;
  private long timesElected;
  private boolean verified;

  Campaign(String name, LeaseConfig config, Engine engine, Listeners listeners, long now) {
    this.name = name;
    this.config = config;
    this.engine = engine;
    this.listeners = listeners;
    this.nextAttempt = now;
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
    return held != null && time().nanoTime() - validUntil < 0;
  }

  @Override
  public Optional<Lease> lease() {
    Lease lease = held;
    return lease != null && isLeader() ? Optional.of(lease) : Optional.empty();
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
      if (held != null && now - validUntil >= 0) {
        revoke(RevokeReason.DEADLINE_PASSED, null);
      }
      if (inFlight != null) {
        if (held == null && now - sentAt >= config.renewDeadline().toNanos()) {
          // an acquisition that long unanswered could not make us leader in time any more
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
      return held != null ? Step.RENEW : Step.ACQUIRE;
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
      if (held != null) {
        at = Math.min(at, validUntil);
      } else if (inFlight != null) {
        at = Math.min(at, sentAt + config.renewDeadline().toNanos());
      }
      return at;
    } finally {
      lock.unlock();
    }
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
      return ++epoch;
    } finally {
      lock.unlock();
    }
  }

  /** Applies the answer to an acquisition or renewal sent in {@code callEpoch}. */
  void answered(long callEpoch, Optional<Lease> answer, Throwable error) {
    long now = time().nanoTime();
    Lease gained = null;
    lock.lock();
    try {
      if (callEpoch != epoch || closed) {
        stale(answer, error);
        return;
      }
      inFlight = null;
      if (error != null) {
        fail(error, now);
        return;
      }
      calls = calls.success(time().instant());
      if (answer.isEmpty()) {
        verified = true;
        if (held != null) {
          revoke(RevokeReason.LOST, null);
        }
        // retries keep their schedule from when each was sent, however slow the answer
        nextAttempt = sentAt + config.retryInterval().toNanos();
        return;
      }
      Lease lease = answer.get();
      verified = lease.holder().equals(engine.config().holderId()) && lease.name().equals(name)
          && (held == null || held.token() == lease.token());
      long until = sentAt + config.renewDeadline().toNanos();
      if (now - until >= 0) {
        // answered too late to act on: give it back and try again
        epoch++;
        release(lease);
        if (held != null) {
          revoke(RevokeReason.DEADLINE_PASSED, null);
        }
        nextAttempt = now;
        return;
      }
      if (held == null) {
        acquiredNanos = sentAt;
        timesElected++;
        gained = lease;
      }
      held = lease;
      validUntil = until;
      nextAttempt = sentAt + config.renewInterval().toNanos();
    } finally {
      lock.unlock();
    }
    if (gained != null) {
      LOG.info("elected leader of {} as {} with fencing token {}", name, gained.holder(),
          gained.token());
      listeners.elected(gained);
    }
  }

  // ------------------------------------------------------------------ closing

  @Override
  public void close() {
    engine.campaigns().remove(this);
    Lease resigned;
    CompletableFuture<?> pending;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      epoch++;
      resigned = held;
      held = null;
      pending = resigned == null ? inFlight : null;
    } finally {
      lock.unlock();
    }
    long deadline = System.nanoTime() + engine.config().closeTimeout().toNanos();
    if (pending != null && StoreCalls.awaitQuietly(pending, deadline)
        && pending.join() instanceof Optional<?> answer
        && answer.orElse(null) instanceof Lease won
        && won.holder().equals(engine.config().holderId())) {
      // an acquisition answered after we stopped: the ticker may be gone, so give it back here
      StoreCalls.awaitQuietly(release(won), deadline);
    }
    if (resigned != null) {
      LOG.info("resigning leadership of {} (token {})", name, resigned.token());
      // the listener stops acting as leader before anyone else can take over
      StoreCalls.awaitQuietly(listeners.revoked(resigned, RevokeReason.RESIGNED), deadline);
      StoreCalls.awaitQuietly(release(resigned), deadline);
    }
    listeners.shutdown();
  }

  // ------------------------------------------------------------------ helpers (lock held)

  private void revoke(RevokeReason reason, Throwable cause) {
    Lease lost = held;
    held = null;
    epoch++;
    inFlight = null;
    nextAttempt = time().nanoTime() + config.retryInterval().toNanos();
    LOG.warn("stepping down as leader of {} (token {}): {}{}", name, lost.token(), reason,
        cause == null ? "" : " (" + cause.getMessage() + ")");
    listeners.revoked(lost, reason);
  }

  private void fail(Throwable error, long now) {
    calls = calls.failure(error);
    verified = false;
    Duration base = held != null ? config.renewInterval().dividedBy(4) : config.retryInterval();
    Duration max = held != null ? config.renewInterval() : config.ttl();
    nextAttempt = now + Backoff.delayNanos(base, max, calls.consecutiveFailures());
    LOG.debug("lease {}: call failed: {}", name, error.getMessage());
  }

  private void stale(Optional<Lease> answer, Throwable error) {
    if (error == null && answer.isPresent()
        && answer.get().holder().equals(engine.config().holderId())) {
      release(answer.get()); // we gave up on this call; do not sit on the lease until it expires
    }
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
      boolean leader = held != null && now - validUntil < 0;
      Duration age = leader ? Duration.ofNanos(now - acquiredNanos) : Duration.ZERO;
      Duration valid = leader ? Duration.ofNanos(validUntil - now) : Duration.ZERO;
      Instant next = closed ? null : wall.plusNanos(nextAttempt - now);
      return new LeaseDiagnostics(name, engine.config().holderId(), leader, leader ? held : null,
          calls, timesElected, age, valid, next, verified, engine.ticker(), wall);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "campaign " + name + " as " + engine.config().holderId();
  }
}
