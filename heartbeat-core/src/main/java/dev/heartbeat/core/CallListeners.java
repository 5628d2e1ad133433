package dev.heartbeat.core;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.StoreCallListener;
import dev.heartbeat.spi.Checks;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link StoreCallListener}s of one engine, at most
 * {@value Heartbeats#MAX_STORE_CALL_LISTENERS}, and the operation of a call kind: the method
 * part of {@code tryAcquire(l)} in snake case ({@code try_acquire}), so that no id reaches a
 * listener.
 */
final class CallListeners {
  private static final Logger LOG = LoggerFactory.getLogger(CallListeners.class);

  private final List<Entry> listeners = new CopyOnWriteArrayList<>();
  private final ReentrantLock lock = new ReentrantLock(); // add: check the bound and add at once

  /** One registration; warns once when its listener throws. */
  private final class Entry implements StoreCallListener.Subscription {
    final StoreCallListener listener;
    volatile boolean warned;

    Entry(StoreCallListener listener) {
      this.listener = listener;
    }

    @Override
    public void close() {
      listeners.remove(this);
    }
  }

  StoreCallListener.Subscription add(StoreCallListener listener) {
    Checks.notNull("listener", listener);
    lock.lock();
    try {
      if (listeners.size() >= Heartbeats.MAX_STORE_CALL_LISTENERS) {
        throw new IllegalStateException("at most " + Heartbeats.MAX_STORE_CALL_LISTENERS
            + " store call listeners may be registered at once; close one first");
      }
      Entry e = new Entry(listener);
      listeners.add(e);
      return e;
    } finally {
      lock.unlock();
    }
  }

  void completed(String kind, StoreCallListener.Result result, Duration latency) {
    if (listeners.isEmpty()) {
      return;
    }
    String operation = snakeCase(kind);
    for (Entry e : listeners) {
      try {
        e.listener.completed(operation, result, latency);
      } catch (Throwable ex) { // even an Error: the call's caller must still hear its answer
        if (!e.warned) {
          e.warned = true;
          LOG.warn("store call listener {} threw; it is told of further calls, and this is "
              + "logged once", e.listener, ex);
        }
      }
    }
  }

  /** {@code tryAcquire(l)} to {@code try_acquire}; {@code agents()} to {@code agents}. */
  static String snakeCase(String kind) {
    int end = kind.indexOf('(');
    String method = end < 0 ? kind : kind.substring(0, end);
    StringBuilder out = new StringBuilder(method.length() + 4);
    for (int i = 0; i < method.length(); i++) {
      char c = method.charAt(i);
      if (Character.isUpperCase(c)) {
        if (i > 0) {
          out.append('_');
        }
        out.append(Character.toLowerCase(c));
      } else if (Character.isLetterOrDigit(c)) {
        out.append(c);
      } else {
        out.append('_');
      }
    }
    return out.length() == 0 ? "unknown" : out.toString().toLowerCase(Locale.ROOT);
  }
}
