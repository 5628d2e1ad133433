package dev.heartbeat.core;

import dev.heartbeat.Lease;
import dev.heartbeat.LeadershipListener;
import dev.heartbeat.RevokeReason;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls one election's listener in order on a virtual thread of its own, never on the ticker;
 * exceptions are logged and swallowed.
 */
final class Listeners {
  private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

  private final String name;
  private final LeadershipListener listener;
  private final ExecutorService executor;

  Listeners(String name, LeadershipListener listener) {
    this.name = name;
    this.listener = listener;
    this.executor = Executors.newSingleThreadExecutor(
        Thread.ofVirtual().name("heartbeat-listener-" + name).factory());
  }

  Future<?> elected(Lease lease) {
    return submit("elected", () -> listener.elected(lease));
  }

  Future<?> revoked(Lease lease, RevokeReason reason) {
    return submit("revoked", () -> listener.revoked(lease, reason));
  }

  void shutdown() {
    executor.shutdown();
  }

  private Future<?> submit(String what, Runnable call) {
    try {
      return executor.submit(() -> {
        try {
          call.run();
        } catch (Throwable e) {
          LOG.error("listener of lease {} threw from {}; the election goes on", name, what, e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("listener of lease {} closed; {} not delivered", name, what);
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    }
  }
}
