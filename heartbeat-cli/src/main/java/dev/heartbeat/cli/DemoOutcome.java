package dev.heartbeat.cli;

import dev.heartbeat.AgentState;
import dev.heartbeat.Lease;
import dev.heartbeat.monitor.AgentRow;
import dev.heartbeat.monitor.LeaseView;
import dev.heartbeat.monitor.Snapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What the demo waits for after the strike, and when each was first seen. */
final class DemoOutcome {
  private final Lease old;
  private final String killed;
  private final String stuck;
  private long struckAt;
  private Duration suspect;
  private Duration dead;
  private Duration stalled;
  private Duration failover;
  private Lease successor;

  DemoOutcome(Lease old, String killed, String stuck) {
    this.old = old;
    this.killed = killed;
    this.stuck = stuck;
  }

  void struck() {
    struckAt = System.nanoTime();
  }

  boolean timedOut() {
    return System.nanoTime() - struckAt > DemoTiming.OUTCOMES.toNanos();
  }

  boolean complete() {
    return suspect != null && dead != null && stalled != null && failover != null;
  }

  void observe(Snapshot s) {
    Duration since = Duration.ofNanos(System.nanoTime() - struckAt);
    for (AgentRow a : s.agents()) {
      if (a.id().equals(killed) && suspect == null
          && (a.state() == AgentState.SUSPECT || a.state() == AgentState.DEAD)) {
        suspect = since;
      }
      if (a.id().equals(killed) && dead == null && a.state() == AgentState.DEAD) {
        dead = since;
      }
      if (a.id().equals(stuck) && stalled == null && a.state() == AgentState.STALLED) {
        stalled = since;
      }
    }
    for (LeaseView l : s.leases()) {
      if (failover == null && l.held() && !l.lease().holder().equals(old.holder())
          && l.lease().token() > old.token()) {
        failover = since;
        successor = l.lease();
      }
    }
  }

  List<String> summary() {
    List<String> out = new ArrayList<>();
    out.add("");
    out.add("summary (times from the kill):");
    out.add(failover == null
        ? String.format(Locale.ROOT, "  failover  %s (token %d) -> none within %s",
            old.holder(), old.token(), Durations.format(DemoTiming.OUTCOMES))
        : String.format(Locale.ROOT, "  failover  %s (token %d) -> %s (token %d) in %s: the "
            + "fencing token went up", old.holder(), old.token(), successor.holder(),
            successor.token(), Durations.format(failover)));
    out.add(String.format(Locale.ROOT, "  killed    %s: SUSPECT after %s, DEAD after %s", killed,
        seen(suspect), seen(dead)));
    out.add(String.format(Locale.ROOT, "  stuck     %s: STALLED after %s (still beating)", stuck,
        seen(stalled)));
    out.add(complete() ? "demo ok" : "demo failed: not everything was seen within "
        + Durations.format(DemoTiming.OUTCOMES));
    return out;
  }

  private static String seen(Duration d) {
    return d == null ? "never" : Durations.format(d);
  }
}
