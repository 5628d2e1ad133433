package dev.heartbeat.core;

import java.util.function.Consumer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands the latest value to a consumer on a virtual thread of its own, one call at a time, in
 * order; while the consumer is busy only the latest value waits (a bound of one), the ones it
 * replaced are dropped. The thread lives while values wait.
 */
final class ListenerSlot<T> {
  private final String threadName;
  private final Consumer<T> consumer;
  private final ReentrantLock lock = new ReentrantLock();
  private T waiting; // guarded by lock
  private boolean hasWaiting; // guarded by lock
  private boolean running; // guarded by lock

  ListenerSlot(String threadName, Consumer<T> consumer) {
    this.threadName = threadName;
    this.consumer = consumer;
  }

  /** Hands {@code value} on, replacing one that still waits; never blocks. */
  void offer(T value) {
    lock.lock();
    try {
      waiting = value;
      hasWaiting = true;
      if (!running) {
        running = true;
        Thread.ofVirtual().name(threadName).start(this::drain);
      }
    } finally {
      lock.unlock();
    }
  }

  private void drain() {
    while (true) {
      T value;
      lock.lock();
      try {
        if (!hasWaiting) {
          running = false;
          return;
        }
        value = waiting;
        waiting = null;
        hasWaiting = false;
      } finally {
        lock.unlock();
      }
      consumer.accept(value);
    }
  }
}
