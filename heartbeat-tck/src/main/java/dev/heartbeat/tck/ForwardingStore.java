package dev.heartbeat.tck;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.Lease;
import dev.heartbeat.ProgressEvent;
import dev.heartbeat.spi.AgentChanges;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.ChangeCursor;
import dev.heartbeat.spi.HeartbeatFeed;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.LeaseRenewal;
import dev.heartbeat.spi.Retention;
import dev.heartbeat.spi.StoreProblem;
import dev.heartbeat.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A real store passed through, for tests that must see or disturb the calls between the engine
 * and a store (fault injection, announcing a renewal, pushing a feed). Every data call goes
 * (and every call of {@link #tasks()}) goes through {@link #around}, which subclasses override to intercept all calls at once; or they
 * override single methods. {@link #describe()}, {@link #feed()}, {@link #now()},
 * {@link #problems()} and {@link #close()} pass straight through; closing does not close the store underneath.
 */
public abstract class ForwardingStore implements HeartbeatStore {
  /** The store underneath. */
  protected final HeartbeatStore store;

  /**
   * Forwards to {@code store}.
   *
   * @param store the store underneath
   */
  protected ForwardingStore(HeartbeatStore store) {
    this.store = store;
    this.tasks = store.tasks().map(t -> new ForwardingTasks(t, new ForwardingTasks.Around() {
      @Override
      public <T> T call(String operation, Supplier<T> call) {
        return around(operation, call);
      }
    }));
  }

  private final Optional<TaskStore> tasks;

  /**
   * Runs one call to the store underneath; the default just runs it.
   *
   * @param <T> the type of the value
   * @param call the call to the store underneath
   * @param operation the operation that failed
   * @return what {@code call} returns
   */
  protected <T> T around(String operation, Supplier<T> call) {
    return call.get();
  }

  @Override
  public String describe() {
    return store.describe();
  }

  @Override
  public Heartbeat register(Beat first) {
    return around("register", () -> store.register(first));
  }

  @Override
  public Optional<Heartbeat> record(Beat beat) {
    return around("record", () -> store.record(beat));
  }

  @Override
  public List<Optional<Heartbeat>> recordAll(List<Beat> beats) {
    return around("recordAll", () -> store.recordAll(beats));
  }

  @Override
  public Optional<HeartbeatFeed> feed() {
    return store.feed();
  }

  @Override
  public Optional<Heartbeat> agent(String agentId) {
    return around("agent", () -> store.agent(agentId));
  }

  @Override
  public List<Heartbeat> agents() {
    return around("agents", store::agents);
  }

  @Override
  public AgentChanges agentsChangedSince(ChangeCursor cursor) {
    return around("agentsChangedSince", () -> store.agentsChangedSince(cursor));
  }

  @Override
  public List<Heartbeat> history(String agentId, int limit) {
    return around("history", () -> store.history(agentId, limit));
  }

  @Override
  public List<ProgressEvent> events(String agentId, int limit) {
    return around("events", () -> store.events(agentId, limit));
  }

  @Override
  public long prune(Retention retention) {
    return around("prune", () -> store.prune(retention));
  }

  @Override
  public boolean forget(String agentId) {
    return around("forget", () -> store.forget(agentId));
  }

  @Override
  public java.util.Optional<java.time.Duration> maxLeaseTtl() {
    return store.maxLeaseTtl();
  }

  @Override
  public Optional<Lease> tryAcquire(String name, String holder, Duration ttl) {
    return around("tryAcquire", () -> store.tryAcquire(name, holder, ttl));
  }

  @Override
  public Optional<Lease> renew(String name, String holder, long token, Duration ttl) {
    return around("renew", () -> store.renew(name, holder, token, ttl));
  }

  @Override
  public List<Optional<Lease>> renewAll(List<LeaseRenewal> renewals) {
    return around("renewAll", () -> store.renewAll(renewals));
  }

  @Override
  public boolean release(String name, String holder, long token) {
    return around("release", () -> store.release(name, holder, token));
  }

  @Override
  public Optional<Lease> lease(String name) {
    return around("lease", () -> store.lease(name));
  }

  @Override
  public List<Lease> leases() {
    return around("leases", store::leases);
  }

  /**
   * The task part of the store underneath, when it keeps tasks, its every call going through
   * {@link #around} (named {@code "tasks."} and the method, such as {@code "tasks.claim"}).
   *
   * @return the forwarded task store, or empty when the store underneath keeps none
   */
  @Override
  public Optional<TaskStore> tasks() {
    return tasks;
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
    // the store underneath belongs to whoever made it
  }
}
