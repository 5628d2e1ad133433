package dev.heartbeat.cli;

import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.Lease;
import dev.heartbeat.Leadership;
import dev.heartbeat.LeadershipListener;
import dev.heartbeat.RevokeReason;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * One member of the demo on its own {@link Heartbeats}: a candidate campaigns for the lease; a
 * worker beats and reports a new progress step every beat interval until told to stall.
 */
final class Participant implements AutoCloseable {
  /** Progress steps a worker reports at most: bounds its loop (5 minutes at 500 ms). */
  static final int MAX_STEPS = 600;

  private final Heartbeats heartbeats;
  private final AtomicBoolean stalled = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread progress;

  private Participant(Heartbeats heartbeats, Thread progress) {
    this.heartbeats = heartbeats;
    this.progress = progress;
  }

  /** Starts a candidate ({@code role} candidate) or a worker ({@code role} worker). */
  static Participant start(Heartbeats hb, DemoRole role, String id, String lease, String task) {
    if (role == DemoRole.CANDIDATE) {
      Leadership unused = hb.leases().elect(lease, DemoTiming.LEASE, new Quiet());
      return new Participant(hb, null);
    }
    HeartbeatAgent agent = hb.agent(id).config(DemoTiming.AGENT).task(task).start();
    agent.working(task, "step 0");
    Participant[] self = new Participant[1];
    Thread t = Thread.ofVirtual().name("demo-progress-" + id).unstarted(() -> {
      for (int step = 1; step <= MAX_STEPS && !self[0].closed.get(); step++) {
        if (!self[0].stalled.get()) {
          agent.progress("step " + step);
        }
        LockSupport.parkNanos(DemoTiming.BEAT.toNanos());
      }
    });
    self[0] = new Participant(hb, t);
    t.start();
    return self[0];
  }

  /** Stops reporting progress; beats go on. */
  void stall() {
    stalled.set(true);
  }

  /** Leaves: the worker is recorded as left, the lease released. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      if (progress != null) {
        LockSupport.unpark(progress);
      }
      heartbeats.close();
    }
  }

  /** The demo watches the store, not the listener. */
  private static final class Quiet implements LeadershipListener {
    @Override
    public void elected(Lease lease) {}

    @Override
    public void revoked(Lease lease, RevokeReason reason) {}
  }
}
