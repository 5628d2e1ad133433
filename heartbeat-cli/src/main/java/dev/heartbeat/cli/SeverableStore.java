package dev.heartbeat.cli;

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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A real store seen through a cable the demo can cut: once {@link #sever()}ed, every call fails
 * as if the node had crashed, so a node running in a thread of the demo (when nodes cannot be
 * processes, as with {@code memory:}) goes silent the way a killed process does. Closing it does
 * not close the shared store underneath.
 */
final class SeverableStore implements HeartbeatStore {
  private final HeartbeatStore store;
  private final AtomicBoolean severed = new AtomicBoolean();

  SeverableStore(HeartbeatStore store) {
    this.store = store;
  }

  void sever() {
    severed.set(true);
  }

  private <T> T call(String operation, Supplier<T> action) {
    if (severed.get()) {
      throw new HeartbeatStoreException(store.describe(), operation, "node killed by the demo");
    }
    return action.get();
  }

  @Override
  public String describe() {
    return store.describe();
  }

  @Override
  public Heartbeat register(Beat first) {
    return call("register", () -> store.register(first));
  }

  @Override
  public Optional<Heartbeat> record(Beat beat) {
    return call("record", () -> store.record(beat));
  }

  @Override
  public List<Optional<Heartbeat>> recordAll(List<Beat> beats) {
    return call("recordAll", () -> store.recordAll(beats));
  }

  @Override
  public Optional<Heartbeat> agent(String agentId) {
    return call("agent", () -> store.agent(agentId));
  }

  @Override
  public List<Heartbeat> agents() {
    return call("agents", store::agents);
  }

  @Override
  public List<Heartbeat> history(String agentId, int limit) {
    return call("history", () -> store.history(agentId, limit));
  }

  @Override
  public List<ProgressEvent> events(String agentId, int limit) {
    return call("events", () -> store.events(agentId, limit));
  }

  @Override
  public long prune(Retention retention) {
    return call("prune", () -> store.prune(retention));
  }

  @Override
  public boolean forget(String agentId) {
    return call("forget", () -> store.forget(agentId));
  }

  @Override
  public java.util.Optional<java.time.Duration> maxLeaseTtl() {
    return store.maxLeaseTtl();
  }

  @Override
  public Optional<Lease> tryAcquire(String name, String holder, Duration ttl) {
    return call("tryAcquire", () -> store.tryAcquire(name, holder, ttl));
  }

  @Override
  public Optional<Lease> renew(String name, String holder, long token, Duration ttl) {
    return call("renew", () -> store.renew(name, holder, token, ttl));
  }

  @Override
  public List<Optional<Lease>> renewAll(List<LeaseRenewal> renewals) {
    return call("renewAll", () -> store.renewAll(renewals));
  }

  @Override
  public boolean release(String name, String holder, long token) {
    return call("release", () -> store.release(name, holder, token));
  }

  @Override
  public Optional<Lease> lease(String name) {
    return call("lease", () -> store.lease(name));
  }

  @Override
  public List<Lease> leases() {
    return call("leases", store::leases);
  }

  @Override
  public Instant now() {
    return call("now", store::now);
  }

  @Override
  public List<StoreProblem> problems() {
    return store.problems();
  }

  @Override
  public void close() {
    severed.set(true);
  }
}
