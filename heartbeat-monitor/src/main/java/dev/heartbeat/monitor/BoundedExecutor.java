package dev.heartbeat.monitor;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;

/**
 * Runs each exchange on its own virtual thread, at most {@code max} at once. Beyond that it
 * refuses ({@link RejectedExecutionException}), and the JDK's server closes that connection:
 * a flood of clients costs connections, never unbounded threads.
 */
final class BoundedExecutor implements Executor {
  private final Semaphore permits;
  private final ThreadFactory threads = Thread.ofVirtual().name("heartbeat-monitor-", 0).factory();

  BoundedExecutor(int max) {
    this.permits = new Semaphore(max);
  }

  @Override
  public void execute(Runnable task) {
    if (!permits.tryAcquire()) {
      throw new RejectedExecutionException("the monitor is serving its maximum of exchanges");
    }
    try {
      threads.newThread(() -> {
        try {
          task.run();
        } finally {
          permits.release();
        }
      }).start();
    } catch (RuntimeException | Error e) {
      permits.release();
      throw e;
    }
  }
}
