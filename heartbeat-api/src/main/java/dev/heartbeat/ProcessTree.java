package dev.heartbeat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops a child process and every process below it: asks each to end (SIGTERM on POSIX), waits
 * up to a grace period, then kills what is left (SIGKILL). The descendants are listed before the
 * child is asked, so that a grandchild is not lost when its parent dies first.
 */
final class ProcessTree {
  private ProcessTree() {}

  static void stop(Process child, Duration grace) {
    List<ProcessHandle> tree = new ArrayList<>();
    child.descendants().forEach(tree::add);
    tree.add(child.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle p : tree) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        p.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // kill at once below, and keep the interrupt
        break;
      } catch (Exception e) {
        break; // the grace is over, or the process is gone
      }
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }
}
