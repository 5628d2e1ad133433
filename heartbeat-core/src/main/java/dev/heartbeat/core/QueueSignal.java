package dev.heartbeat.core;

import dev.heartbeat.spi.TaskSignals;
import dev.heartbeat.spi.TaskStore;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's subscription to its queue's {@link TaskSignals}, when its store can push them: the
 * worker calls {@link #ensure} once per poll, which subscribes when not yet subscribed (so a
 * store that could not listen at start is tried again at the next poll, never more often, one
 * attempt at a time), and {@link #close} when it stops; once subscribed it signals once, for what
 * was submitted before it listened. A failed subscription is logged once per change of state; the
 * worker polls meanwhile.
 */
final class QueueSignal {
  private static final Logger LOG = LoggerFactory.getLogger(QueueSignal.class);

  private final Optional<TaskSignals> signals;
  private final String queue;
  private final Runnable onSignal;
  private final Object owner;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicBoolean trying = new AtomicBoolean();
  private TaskSignals.Subscription subscription; // guarded by lock
  private boolean failing; // guarded by lock
  private boolean closed; // guarded by lock

  QueueSignal(TaskStore store, String queue, Runnable onSignal, Object owner) {
    this.signals = store.signals();
    this.queue = queue;
    this.onSignal = onSignal;
    this.owner = owner;
  }

  /**
   * Subscribes, on a virtual thread of its own (the worker's loop never waits for the store), when
   * the store signals, this is not subscribed yet and no attempt is on its way.
   */
  void ensure() {
    if (signals.isEmpty() || listening() || !trying.compareAndSet(false, true)) {
      return;
    }
    Thread.ofVirtual().name("heartbeat-signals-" + queue).start(() -> {
      try {
        subscribe();
      } finally {
        trying.set(false);
      }
    });
  }

  private void subscribe() {
    TaskSignals.Subscription made;
    try {
      made = signals.orElseThrow().subscribe(queue, onSignal);
    } catch (RuntimeException e) {
      lock.lock();
      try {
        if (!failing) {
          failing = true;
          LOG.warn("{}: cannot listen for its queue's signals; polling until it can", owner, e);
        }
      } finally {
        lock.unlock();
      }
      return;
    }
    boolean keep;
    lock.lock();
    try {
      keep = !closed;
      if (keep) {
        subscription = made;
        if (failing) {
          failing = false;
          LOG.info("{}: listening for its queue's signals again", owner);
        }
      }
    } finally {
      lock.unlock();
    }
    if (keep) {
      onSignal.run(); // what was submitted before it listened is claimed now
    } else {
      made.close();
    }
  }

  /** Whether signals arrive now. */
  boolean listening() {
    lock.lock();
    try {
      return subscription != null;
    } finally {
      lock.unlock();
    }
  }

  void close() {
    TaskSignals.Subscription s;
    lock.lock();
    try {
      closed = true;
      s = subscription;
      subscription = null;
    } finally {
      lock.unlock();
    }
    if (s != null) {
      s.close();
    }
  }
}
