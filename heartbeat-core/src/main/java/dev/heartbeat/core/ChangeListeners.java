package dev.heartbeat.core;

import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentState;
import dev.heartbeat.StallDetector;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each change of state once and tells the detector's listeners about it, in order, on a
 * virtual thread of their own, never on the ticker; a listener's exception is logged and the
 * others still hear the change.
 *
 * <p>A slow listener never holds up the detector: the changes of one round wait for it in a queue
 * of at most {@value #CAPACITY} rounds; a round that finds the queue full is not delivered to any
 * listener (it is still logged), counted (the engine's {@code TickerStats.dropped()}), and
 * reported by one WARN until a round is delivered again.
 */
final class ChangeListeners {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeListeners.class);
  /** Rounds of changes that may wait for the listeners. */
  static final int CAPACITY = 1_000;

  private final List<Consumer<AgentChange>> listeners = new CopyOnWriteArrayList<>();
  private final Executor executor;
  private final Runnable onDrop;
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean dropping;

  /** Listeners on a virtual thread named after {@code name}; each drop also runs {@code onDrop}. */
  ChangeListeners(String name, Runnable onDrop) {
    this(new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(CAPACITY),
        Thread.ofVirtual().name("heartbeat-detector-listener-" + name).factory(),
        new ThreadPoolExecutor.AbortPolicy()), onDrop);
  }

  /** Listeners called by {@code executor} (tests pass one that runs them at once). */
  ChangeListeners(Executor executor) {
    this(executor, () -> { });
  }

  private ChangeListeners(Executor executor, Runnable onDrop) {
    this.executor = executor;
    this.onDrop = onDrop;
  }

  StallDetector.Subscription add(Consumer<AgentChange> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  void tell(List<AgentChange> changes) {
    changes.forEach(ChangeListeners::log);
    if (changes.isEmpty() || listeners.isEmpty()) {
      return;
    }
    List<Consumer<AgentChange>> now = List.copyOf(listeners);
    try {
      executor.execute(() -> deliver(changes, now));
    } catch (RejectedExecutionException e) {
      if (executor instanceof ExecutorService service && service.isShutdown()) {
        LOG.debug("stall detector closed; {} change(s) not delivered", changes.size());
        return;
      }
      dropped.incrementAndGet();
      onDrop.run();
      if (!dropping) {
        dropping = true;
        LOG.warn("a stall detector listener is slow: {} rounds of changes wait for it; changes "
            + "are dropped (still logged here) until it catches up", CAPACITY);
      }
    }
  }

  private void deliver(List<AgentChange> changes, List<Consumer<AgentChange>> to) {
    if (dropping) {
      dropping = false;
      LOG.info("stall detector listeners catch up; {} round(s) of changes dropped so far",
          dropped.get());
    }
    for (AgentChange change : changes) {
      for (Consumer<AgentChange> listener : to) {
        try {
          listener.accept(change);
        } catch (Throwable e) {
          LOG.error("a stall detector listener threw on {} of {}; the detector goes on",
              change.kind(), change.agentId(), e);
        }
      }
    }
  }

  /** Rounds of changes dropped because the listeners were too slow. */
  long dropped() {
    return dropped.get();
  }

  void shutdown() {
    if (executor instanceof ExecutorService service) {
      service.shutdown();
    }
  }

  private static void log(AgentChange c) {
    String line = "agent {} ({}) {} -> {}: {}{}; last beat {} ago, phi {}, expected every {}, "
        + "local pause {}";
    Object[] args = {c.agentId(), c.incarnation(), c.from(), c.to(), c.kind(),
        c.recovery() == null ? "" : " " + c.recovery(), c.evidence().lastBeatAge(),
        String.format(Locale.ROOT, "%.1f", c.evidence().phi()), c.evidence().expectedInterval(),
        c.evidence().localPause()};
    if (c.to() == AgentState.SUSPECT || c.to() == AgentState.DEAD
        || c.to() == AgentState.STALLED) {
      LOG.warn(line, args);
    } else {
      LOG.info(line, args);
    }
  }
}
