package dev.heartbeat.core;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.Lease;
import dev.heartbeat.ProgressEvent;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.HeartbeatFeed;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.Retention;
import dev.heartbeat.spi.StoreProblem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A real {@link MemoryStore} that also offers a live feed, as a Redis store does: every beat it
 * records is pushed, after it was stored, to the feeds that are open. Not a mock: every call is
 * the memory store's.
 */
final class FeedingStore implements HeartbeatStore {
  private final MemoryStore store;
  final List<Feed> feeds = new CopyOnWriteArrayList<>();

  FeedingStore(MemoryStore store) {
    this.store = store;
  }

  /** One subscriber's feed. */
  final class Feed implements HeartbeatFeed {
    private volatile Consumer<Heartbeat> listener;
    volatile boolean closed;
    final AtomicLong delivered = new AtomicLong();

    @Override
    public void subscribe(Consumer<Heartbeat> newListener) {
      listener = newListener;
    }

    void push(Heartbeat beat) {
      Consumer<Heartbeat> l = listener;
      if (l != null && !closed) {
        delivered.incrementAndGet();
        l.accept(beat);
      }
    }

    @Override
    public void close() {
      closed = true;
      feeds.remove(this);
    }
  }

  private Heartbeat pushed(Heartbeat beat) {
    feeds.forEach(f -> f.push(beat));
    return beat;
  }

  @Override
  public Optional<HeartbeatFeed> feed() {
    Feed feed = new Feed();
    feeds.add(feed);
    return Optional.of(feed);
  }

  @Override
  public String describe() {
    return "feeding(" + store.describe() + ")";
  }

  @Override
  public Heartbeat register(Beat first) {
    return pushed(store.register(first));
  }

  @Override
  public Optional<Heartbeat> record(Beat beat) {
    return store.record(beat).map(this::pushed);
  }

  @Override
  public List<Optional<Heartbeat>> recordAll(List<Beat> beats) {
    List<Optional<Heartbeat>> stored = store.recordAll(beats);
    stored.forEach(o -> o.ifPresent(this::pushed));
    return stored;
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
    return store.tryAcquire(name, holder, ttl);
  }

  @Override
  public Optional<Lease> renew(String name, String holder, long token, Duration ttl) {
    return store.renew(name, holder, token, ttl);
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
