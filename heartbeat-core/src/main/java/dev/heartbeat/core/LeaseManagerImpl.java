package dev.heartbeat.core;

import dev.heartbeat.Lease;
import dev.heartbeat.LeaseConfig;
import dev.heartbeat.LeaseManager;
import dev.heartbeat.Leadership;
import dev.heartbeat.LeadershipListener;
import dev.heartbeat.spi.Checks;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One-shot lease calls on the caller's thread, bounded; elections handed to the ticker. */
final class LeaseManagerImpl implements LeaseManager {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseManagerImpl.class);

  private final Engine engine;

  LeaseManagerImpl(Engine engine) {
    this.engine = engine;
  }

  @Override
  public String holderId() {
    return engine.config().holderId();
  }

  @Override
  public Optional<Lease> tryAcquire(String name) {
    return tryAcquire(name, engine.config().leaseDefaults().ttl());
  }

  @Override
  public Optional<Lease> tryAcquire(String name, Duration ttl) {
    Checks.id("name", name);
    Checks.positive("ttl", ttl);
    checkTtl(name, ttl);
    return call("tryAcquire(" + name + ")",
        () -> engine.store().tryAcquire(name, holderId(), ttl));
  }

  @Override
  public Optional<Lease> acquire(String name, Duration ttl, Duration timeout)
      throws InterruptedException {
    Checks.id("name", name);
    Checks.positive("ttl", ttl);
    Checks.notNull("timeout", timeout);
    var time = engine.config().time();
    long deadline = time.nanoTime() + timeout.toNanos();
    long retry = engine.config().leaseDefaults().retryInterval().toNanos();
    while (true) {
      Optional<Lease> lease = tryAcquire(name, ttl);
      if (lease.isPresent()) {
        return lease;
      }
      long now = time.nanoTime();
      if (now - deadline >= 0) {
        return Optional.empty();
      }
      long wakeAt = Math.min(deadline, now + retry);
      while (time.nanoTime() - wakeAt < 0) {
        if (Thread.interrupted()) {
          throw new InterruptedException("interrupted while acquiring lease '" + name + "'");
        }
        time.parkUntil(wakeAt);
      }
    }
  }

  @Override
  public Optional<Lease> renew(Lease lease) {
    Checks.notNull("lease", lease);
    return call("renew(" + lease.name() + ")", () -> engine.store().renew(lease.name(),
        lease.holder(), lease.token(), lease.ttl()));
  }

  @Override
  public boolean release(Lease lease) {
    Checks.notNull("lease", lease);
    return call("release(" + lease.name() + ")",
        () -> engine.store().release(lease.name(), lease.holder(), lease.token()));
  }

  @Override
  public Optional<Lease> current(String name) {
    Checks.id("name", name);
    return call("lease(" + name + ")", () -> {
      Optional<Lease> lease = engine.store().lease(name);
      if (lease.isEmpty()) {
        return lease;
      }
      return lease.get().expiredAt(engine.store().now()) ? Optional.<Lease>empty() : lease;
    });
  }

  @Override
  public Leadership elect(String name, LeadershipListener listener) {
    return elect(name, engine.config().leaseDefaults(), listener);
  }

  @Override
  public Leadership elect(String name, LeaseConfig config, LeadershipListener listener) {
    Checks.id("name", name);
    Checks.notNull("config", config);
    Checks.notNull("listener", listener);
    checkTtl(name, config.ttl());
    engine.checkOpen();
    Campaign campaign = new Campaign(name, config, engine, new Listeners(name, listener),
        engine.config().time().nanoTime());
    engine.campaigns().add(campaign);
    if (engine.isClosed()) {
      campaign.close(); // close() ran between the check and the add: leave nothing behind
      engine.checkOpen();
    }
    LOG.info("campaigning for lease {} as {} on {}: ttl {}, renew every {}, step down {} after "
            + "the last successful renewal was sent, retry every {}", name, holderId(),
        engine.store().describe(), config.ttl(), config.renewInterval(), config.renewDeadline(),
        config.retryInterval());
    return campaign;
  }

  /** Rejects a TTL longer than the store grants, instead of retrying in silence forever. */
  private void checkTtl(String name, Duration ttl) {
    Optional<Duration> max = engine.store().maxLeaseTtl();
    if (max.isPresent() && ttl.compareTo(max.get()) > 0) {
      throw new IllegalArgumentException("ttl of lease '" + name + "' must be at most the "
          + "store's maxLeaseTtl " + max.get() + " (" + engine.store().describe() + "), got "
          + ttl);
    }
  }

  private <T> T call(String op, java.util.function.Supplier<T> body) {
    engine.checkOpen();
    return engine.calls().bounded(op, engine.config().callTimeout(), body);
  }
}
