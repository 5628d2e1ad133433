package dev.heartbeat.core;

import dev.heartbeat.Lease;
import dev.heartbeat.LeaseManager;
import dev.heartbeat.LeaseWatch;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LeaseManager#watch watches} of one engine, on the ticker: each reads its lease every
 * retry interval of the default lease configuration (one read in flight per watch, at once when an
 * election of this engine for the name changed hands) and tells its listener when the holder or
 * token changed. At most {@link LeaseManager#MAX_WATCHES} watches.
 */
final class LeaseWatches implements Tickable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseWatches.class);

  private final Engine engine;
  private final ConcurrentHashMap<Long, Watch> watches = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  LeaseWatches(Engine engine) {
    this.engine = engine;
  }

  LeaseWatch add(String name, Consumer<Optional<Lease>> onChange) {
    if (watches.size() >= LeaseManager.MAX_WATCHES) {
      throw new IllegalStateException("at most " + LeaseManager.MAX_WATCHES + " watches run in "
          + "one Heartbeats; close one before watching lease '" + name + "'");
    }
    Watch watch = new Watch(ids.incrementAndGet(), name, onChange);
    watches.put(watch.id, watch);
    engine.tickerLoop().wake();
    return watch;
  }

  /** An election of this engine for {@code name} changed hands: read it at once. */
  void changed(String name) {
    boolean any = false;
    for (Watch w : watches.values()) {
      if (w.name.equals(name)) {
        w.nextRead = Long.MIN_VALUE;
        any = true;
      }
    }
    if (any) {
      engine.tickerLoop().wake();
    }
  }

  void close() {
    watches.values().forEach(Watch::close);
  }

  @Override
  public long tick(long now) {
    long next = Long.MAX_VALUE;
    long every = engine.config().leaseDefaults().retryInterval().toNanos();
    for (Watch w : watches.values()) {
      if (w.reading == null && (w.nextRead == Long.MIN_VALUE || now - w.nextRead >= 0)) {
        w.read(now, every);
      }
      if (w.reading == null) {
        long at = w.nextRead; // MIN_VALUE: poked after the check above, read at once
        next = Math.min(next, at == Long.MIN_VALUE ? now : at);
      }
    }
    return next;
  }

  /** One watch; its read state is the ticker's, its news slot its own. */
  private final class Watch implements LeaseWatch {
    final long id;
    final String name;
    private final Consumer<Optional<Lease>> onChange;
    private final ListenerSlot<Optional<Lease>> slot;
    volatile long nextRead = Long.MIN_VALUE;
    CompletableFuture<Optional<Lease>> reading; // ticker thread only
    private Optional<Lease> last; // ticker thread only; null before the first answer
    private volatile boolean closed;

    Watch(long id, String name, Consumer<Optional<Lease>> onChange) {
      this.id = id;
      this.name = name;
      this.onChange = onChange;
      this.slot = new ListenerSlot<>("heartbeat-watch-" + name, this::tell);
    }

    void read(long now, long every) {
      nextRead = now + every;
      CompletableFuture<Optional<Lease>> call = engine.calls().async(
          "watch(" + name + "#" + id + ")", () -> {
            Optional<Lease> lease = engine.store().lease(name);
            return lease.isPresent() && lease.get().expiredAt(engine.store().now())
                ? Optional.<Lease>empty() : lease;
          });
      reading = call;
      call.whenComplete((lease, error) -> engine.tickerLoop().post(() -> answered(lease, error)));
    }

    private void answered(Optional<Lease> lease, Throwable error) {
      reading = null;
      if (closed) {
        return;
      }
      if (error != null) {
        LOG.debug("watch of lease {}: read failed: {}", name, error.getMessage());
        return;
      }
      if (last == null || !sameTerm(last, lease)) {
        last = lease;
        slot.offer(lease);
      }
    }

    private void tell(Optional<Lease> lease) {
      if (closed) {
        return;
      }
      try {
        onChange.accept(lease);
      } catch (RuntimeException e) {
        LOG.error("watcher of lease {} threw; the watch goes on", name, e);
      }
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void close() {
      closed = true;
      watches.remove(id, this);
    }
  }

  private static boolean sameTerm(Optional<Lease> a, Optional<Lease> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return a.isEmpty() == b.isEmpty();
    }
    return a.get().holder().equals(b.get().holder()) && a.get().token() == b.get().token();
  }
}
