package dev.heartbeat.core;

import dev.heartbeat.Attempt;
import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskView;
import dev.heartbeat.WorkerStats;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A worker's counts: one per attempt outcome, claims, reassignments by reason and self-fencings;
 * lock-free.
 */
final class WorkerCounters {
  private final AtomicLong claimed = new AtomicLong();
  private final AtomicLong selfFenced = new AtomicLong();
  private final AtomicLongArray ends = new AtomicLongArray(AttemptOutcome.values().length);
  private final AtomicLongArray reassigned =
      new AtomicLongArray(AttemptOutcome.values().length);

  void claimed(int n) {
    claimed.addAndGet(n);
  }

  /**
   * Counts a claimed task that ran before, by how its previous attempt ended; an attempt the
   * store left without an outcome had its claim expire, so its worker was lost.
   */
  void claimed(TaskView task) {
    List<Attempt> attempts = task.attempts();
    if (attempts.size() < 2) {
      return; // the first attempt (or a store that keeps none): not a reassignment
    }
    AttemptOutcome reason = attempts.get(attempts.size() - 2).outcome()
        .orElse(AttemptOutcome.WORKER_LOST);
    reassigned.incrementAndGet(reason.ordinal());
  }

  void selfFenced() {
    selfFenced.incrementAndGet();
  }

  void ended(AttemptOutcome outcome) {
    ends.incrementAndGet(outcome.ordinal());
  }

  WorkerStats snapshot(int running) {
    return new WorkerStats(running, claimed.get(), get(AttemptOutcome.DONE),
        get(AttemptOutcome.FAILED), get(AttemptOutcome.TIMED_OUT), get(AttemptOutcome.STALLED),
        get(AttemptOutcome.BLOCKED), get(AttemptOutcome.CANCELLED),
        get(AttemptOutcome.FENCED_OUT), get(AttemptOutcome.RELEASED), selfFenced.get(),
        reassignments());
  }

  private Map<AttemptOutcome, Long> reassignments() {
    EnumMap<AttemptOutcome, Long> counts = new EnumMap<>(AttemptOutcome.class);
    for (AttemptOutcome o : AttemptOutcome.values()) {
      long n = reassigned.get(o.ordinal());
      if (n > 0) {
        counts.put(o, n);
      }
    }
    return counts;
  }

  private long get(AttemptOutcome outcome) {
    return ends.get(outcome.ordinal());
  }
}
