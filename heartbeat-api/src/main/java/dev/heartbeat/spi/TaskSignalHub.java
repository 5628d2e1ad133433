package dev.heartbeat.spi;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listeners of a store's {@link TaskSignals}, by queue, for store implementations: the store
 * subscribes to its server's channel (or not, for the memory store) and calls {@link #signal}
 * with the queue a notification names; the hub calls that queue's listeners, each exception
 * caught and logged once per listener through {@link System.Logger}. At most {@value #MAX}
 * subscriptions at once. Thread-safe.
 */
public final class TaskSignalHub implements TaskSignals {
  /** The most subscriptions a hub holds at once. */
  public static final int MAX = 10_000;
  private static final System.Logger LOG = System.getLogger(TaskSignalHub.class.getName());

  private final String store;
  private final ConcurrentHashMap<String, List<Listener>> byQueue = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();

  /**
   * The hub of the store described as {@code store}.
   *
   * @param store the store, for messages
   */
  public TaskSignalHub(String store) {
    this.store = store;
  }

  @Override
  public Subscription subscribe(String queue, Runnable listener) {
    Checks.id("queue", queue);
    Checks.notNull("listener", listener);
    if (count.incrementAndGet() > MAX) {
      count.decrementAndGet();
      throw new IllegalStateException(store + " holds " + MAX
          + " task signal subscriptions, the most it keeps; close some before subscribing to '"
          + queue + "'");
    }
    Listener l = new Listener(queue, listener);
    byQueue.compute(queue, (q, list) -> {
      List<Listener> next = list == null ? new CopyOnWriteArrayList<>() : list;
      next.add(l);
      return next;
    });
    return l;
  }

  /**
   * Calls every listener of {@code queue}, on the calling thread.
   *
   * @param queue the queue a notification named
   */
  public void signal(String queue) {
    List<Listener> listeners = byQueue.get(queue);
    if (listeners != null) {
      for (Listener l : listeners) {
        l.run();
      }
    }
  }

  /**
   * The queues with at least one listener now (for a store that listens per queue).
   *
   * @return the queues
   */
  public Set<String> queues() {
    return Set.copyOf(byQueue.keySet());
  }

  /**
   * Whether {@code queue} has a listener now.
   *
   * @param queue the queue
   * @return whether {@code queue} has a listener now
   */
  public boolean listened(String queue) {
    return byQueue.containsKey(queue);
  }

  private final class Listener implements Subscription {
    private final String queue;
    private final Runnable body;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean failed;

    Listener(String queue, Runnable body) {
      this.queue = queue;
      this.body = body;
    }

    void run() {
      if (closed.get()) {
        return;
      }
      try {
        body.run();
        failed = false;
      } catch (RuntimeException e) {
        if (!failed) {
          failed = true;
          LOG.log(System.Logger.Level.WARNING, store + ": a task signal listener of queue '"
              + queue + "' failed (logged once until it succeeds again)", e);
        }
      }
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      count.decrementAndGet();
      byQueue.computeIfPresent(queue, (q, list) -> {
        list.remove(this);
        return list.isEmpty() ? null : list;
      });
    }
  }
}
