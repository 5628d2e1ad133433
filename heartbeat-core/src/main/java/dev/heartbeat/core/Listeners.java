package dev.heartbeat.core;

import dev.heartbeat.LeadershipListener;
import dev.heartbeat.RevokeReason;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls one election's listener, one call at a time, in the order the campaign queued them (it
 * queues under its own lock, in the order of its transitions), on a virtual thread of this
 * election that lives while calls wait; never on the ticker. Exceptions are logged and swallowed.
 *
 * <p>A {@code revoked} for a term whose {@code elected} is still running interrupts the thread
 * running it (unless that thread is the one revoking, as in {@code close()} inside the listener).
 * Calls wait in a queue of at most {@value #MAX_PENDING}: when a listener is so slow that it fills
 * up, a term whose {@code elected} has not started yet when it ends is skipped whole (neither call
 * is made) and counted in {@link #skipped()}.
 */
final class Listeners {
  private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);
  /** The most calls that wait; beyond, terms not yet delivered are skipped. */
  static final int MAX_PENDING = 16;

  /** One call: {@code elected} when {@code reason} is null. */
  private record Call(Term term, RevokeReason reason, CompletableFuture<Void> done) {}

  private final String name;
  private final LeadershipListener listener;
  private final ReentrantLock lock = new ReentrantLock();
  // guarded by lock
  private final ArrayDeque<Call> pending = new ArrayDeque<>();
  private Call current;
  private Thread runner;
  private boolean shutdown;
  private long skipped;

  Listeners(String name, LeadershipListener listener) {
    this.name = name;
    this.listener = listener;
  }

  /** Queues {@code elected(term)}; never blocks. */
  void elected(Term term) {
    queue(new Call(term, null, new CompletableFuture<>()));
  }

  /**
   * Ends {@code term} and queues {@code revoked} for it; never blocks.
   *
   * @return completes when {@code revoked} has returned, or at once when the term was skipped
   */
  CompletableFuture<Void> revoked(Term term, RevokeReason reason) {
    term.end(reason);
    lock.lock();
    try {
      for (Iterator<Call> it = pending.iterator();
          pending.size() >= MAX_PENDING - 1 && it.hasNext(); ) {
        Call waiting = it.next();
        if (waiting.term() == term && waiting.reason() == null) {
          it.remove(); // never started, and the queue is full: skip the term whole
          skipped++;
          waiting.done().complete(null);
          return CompletableFuture.completedFuture(null);
        }
      }
      if (current != null && current.term() == term && current.reason() == null
          && runner != Thread.currentThread()) {
        runner.interrupt(); // the leader's work, still in elected: its term is over
      }
      Call call = new Call(term, reason, new CompletableFuture<>());
      queue(call);
      return call.done();
    } finally {
      lock.unlock();
    }
  }

  /** Whether the calling thread is the one running this listener. */
  boolean onListenerThread() {
    lock.lock();
    try {
      return runner == Thread.currentThread();
    } finally {
      lock.unlock();
    }
  }

  /** Terms skipped because they ended before their {@code elected} started. */
  long skipped() {
    lock.lock();
    try {
      return skipped;
    } finally {
      lock.unlock();
    }
  }

  /** Calls queued so far are still made; later ones are dropped. */
  void shutdown() {
    lock.lock();
    try {
      shutdown = true;
    } finally {
      lock.unlock();
    }
  }

  private void queue(Call call) {
    lock.lock();
    try {
      if (shutdown) {
        LOG.debug("listener of lease {} closed; {} not delivered", name, call);
        call.done().complete(null);
        return;
      }
      pending.add(call);
      if (runner == null) {
        runner = Thread.ofVirtual().name("heartbeat-listener-" + name).unstarted(this::drain);
        runner.start();
      }
    } finally {
      lock.unlock();
    }
  }

  private void drain() {
    while (true) {
      Call call;
      lock.lock();
      try {
        call = pending.poll();
        if (call == null) {
          runner = null;
          return;
        }
        current = call;
      } finally {
        lock.unlock();
      }
      deliver(call);
      lock.lock();
      try {
        current = null;
        Thread.interrupted(); // an interrupt meant for that elected ends with it
      } finally {
        lock.unlock();
      }
      call.done().complete(null);
    }
  }

  private void deliver(Call call) {
    String what = call.reason() == null ? "elected" : "revoked";
    try {
      if (call.reason() == null) {
        listener.elected(call.term());
      } else {
        listener.revoked(call.term().lease(), call.reason());
      }
    } catch (Throwable e) {
      LOG.error("listener of lease {} threw from {}; the election goes on", name, what, e);
    }
  }
}
