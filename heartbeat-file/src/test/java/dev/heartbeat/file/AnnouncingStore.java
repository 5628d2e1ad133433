package dev.heartbeat.file;

import dev.heartbeat.Heartbeat;
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
import java.util.function.Consumer;

/**
 * The real store, passed through, telling {@code onRenew} just before each renewal starts, so
 * that the multi-process test can kill a holder in the middle of its renewal write, and
 * {@code onAcquired} the token and duration (nanos) of each successful acquisition.
 */
final class AnnouncingStore implements HeartbeatStore {
  private final HeartbeatStore store;
  private final Consumer<Long> onRenew;
  private final java.util.function.BiConsumer<Long, Long> onAcquired;

  AnnouncingStore(HeartbeatStore store, Consumer<Long> onRenew,
      java.util.function.BiConsumer<Long, Long> onAcquired) {
    this.store = store;
    this.onRenew = onRenew;
    this.onAcquired = onAcquired;
  }

  @Override
  public Optional<Lease> renew(String name, String holder, long token, Duration ttl) {
    onRenew.accept(token);
    return store.renew(name, holder, token, ttl);
  }

  @Override
  public List<Optional<Lease>> renewAll(List<LeaseRenewal> renewals) {
    return renewals.stream().map(r -> renew(r.name(), r.holder(), r.token(), r.ttl())).toList();
  }

  @Override
  public String describe() {
    return store.describe();
  }

  @Override
  public Heartbeat register(Beat first) {
    return store.register(first);
  }

  @Override
  public Optional<Heartbeat> record(Beat beat) {
    return store.record(beat);
  }

  @Override
  public Optional<Heartbeat> agent(String agentId) {
    return store.agent(agentId);
  }

  @Override
  public List<Heartbeat> agents() {
    return store.agents();
  }

  @Override
  public List<Heartbeat> history(String agentId, int limit) {
    return store.history(agentId, limit);
  }

  @Override
  public List<ProgressEvent> events(String agentId, int limit) {
    return store.events(agentId, limit);
  }

  @Override
  public long prune(Retention retention) {
    return store.prune(retention);
  }

  @Override
  public Optional<Lease> tryAcquire(String name, String holder, Duration ttl) {
    long start = System.nanoTime();
    Optional<Lease> lease = store.tryAcquire(name, holder, ttl);
    lease.ifPresent(l -> onAcquired.accept(l.token(), System.nanoTime() - start));
    return lease;
  }

  @Override
  public boolean release(String name, String holder, long token) {
    return store.release(name, holder, token);
  }

  @Override
  public Optional<Lease> lease(String name) {
    return store.lease(name);
  }

  @Override
  public List<Lease> leases() {
    return store.leases();
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
    store.close();
  }
}
