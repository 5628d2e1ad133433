package dev.heartbeat.core;

import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.WorkerStats;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** A worker's counts: one per attempt outcome, claims and self-fencings; lock-free. */
final class WorkerCounters {
  private final AtomicLong claimed = new AtomicLong();
  private final AtomicLong selfFenced = new AtomicLong();
  private final AtomicLongArray ends = new AtomicLongArray(AttemptOutcome.values().length);

  void claimed(int n) {
    claimed.addAndGet(n);
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
        get(AttemptOutcome.FENCED_OUT), get(AttemptOutcome.RELEASED), selfFenced.get());
  }

  private long get(AttemptOutcome outcome) {
    return ends.get(outcome.ordinal());
  }
}
