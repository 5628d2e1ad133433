package dev.heartbeat.core;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.HeartbeatFeed;
import dev.heartbeat.tck.ForwardingStore;
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
class FeedingStore extends ForwardingStore {
  final List<Feed> feeds = new CopyOnWriteArrayList<>();

  FeedingStore(MemoryStore store) {
    super(store);
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
  public Heartbeat register(Beat first) {
    return pushed(super.register(first));
  }

  @Override
  public Optional<Heartbeat> record(Beat beat) {
    return super.record(beat).map(this::pushed);
  }

  @Override
  public List<Optional<Heartbeat>> recordAll(List<Beat> beats) {
    List<Optional<Heartbeat>> stored = super.recordAll(beats);
    stored.forEach(o -> o.ifPresent(this::pushed));
    return stored;
  }
}
