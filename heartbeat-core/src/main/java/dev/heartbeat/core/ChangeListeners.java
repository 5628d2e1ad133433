package dev.heartbeat.core;

import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentState;
import dev.heartbeat.StallDetector;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each change of state once and tells the detector's listeners about it, in order, on a
 * virtual thread of their own, never on the ticker; a listener's exception is logged and the
 * others still hear the change.
 */
final class ChangeListeners {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeListeners.class);

  private final List<Consumer<AgentChange>> listeners = new CopyOnWriteArrayList<>();
  private final Executor executor;

  ChangeListeners(String name) {
    this(Executors.newSingleThreadExecutor(
        Thread.ofVirtual().name("heartbeat-detector-listener-" + name).factory()));
  }

  /** Listeners called by {@code executor} (tests pass one that runs them at once). */
  ChangeListeners(Executor executor) {
    this.executor = executor;
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
      executor.execute(() -> {
        for (AgentChange change : changes) {
          for (Consumer<AgentChange> listener : now) {
            try {
              listener.accept(change);
            } catch (Throwable e) {
              LOG.error("a stall detector listener threw on {} of {}; the detector goes on",
                  change.kind(), change.agentId(), e);
            }
          }
        }
      });
    } catch (RejectedExecutionException e) {
      LOG.debug("stall detector closed; {} change(s) not delivered", changes.size());
    }
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
