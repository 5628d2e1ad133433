package dev.heartbeat.cli;

import dev.heartbeat.AgentState;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Lease;
import dev.heartbeat.monitor.LeaseView;
import dev.heartbeat.monitor.LivenessRule;
import dev.heartbeat.monitor.Snapshot;
import dev.heartbeat.spi.HeartbeatStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One run of the demo: start the cast, wait until a leader is elected and every worker is
 * alive, show the healthy table, then kill the leader and worker 3 and stall worker 2, and
 * watch the store until the killed worker is SUSPECT then DEAD, the stuck one STALLED and a new
 * leader holds the lease with a higher token. Every phase is bounded by {@link DemoTiming}.
 */
final class DemoRun {
  /** Starts one member. */
  interface Launcher {
    DemoNode start(DemoRole role, String id, String task);
  }

  private final Cli cli;
  private final HeartbeatStore store;
  private final LivenessRule rule;
  private final String shown;
  private final DemoCast cast;
  private final DemoScreen screen;
  private final Duration startupLimit;
  private final List<DemoNode> candidates = new ArrayList<>();
  private final List<DemoNode> workers = new ArrayList<>();
  private Map<String, String> keys;
  private Snapshot last;
  private boolean started;
  private String steadyLeader;
  private long steadySince;

  DemoRun(Cli cli, HeartbeatStore store, LivenessRule rule, String shown, DemoCast cast,
      DemoScreen screen, Duration startupLimit) {
    this.cli = cli;
    this.store = store;
    this.rule = rule;
    this.shown = shown;
    this.cast = cast;
    this.screen = screen;
    this.startupLimit = startupLimit;
  }

  /** Runs it all; the nodes are stopped whatever happens. */
  int run(Launcher launcher) throws InterruptedException {
    try {
      for (int i = 1; i <= DemoCast.SIZE; i++) {
        candidates.add(launcher.start(DemoRole.CANDIDATE, cast.candidate(i), null));
      }
      for (int i = 1; i <= DemoCast.SIZE; i++) {
        workers.add(launcher.start(DemoRole.WORKER, cast.worker(i), DemoCast.task(i)));
      }
      return play();
    } finally {
      stopAll();
    }
  }

  private int play() throws InterruptedException {
    long startup = System.nanoTime();
    screen.say("starting " + (candidates.size() + workers.size()) + " members");
    while (!steady()) {
      if (System.nanoTime() - startup > startupLimit.toNanos()) {
        screen.plain("demo failed: no steady leader with three live workers within "
            + Durations.format(startupLimit));
        return ExitCodes.DEGRADED;
      }
      cli.pacer().pause(DemoTiming.REFRESH);
    }
    started = true;
    screen.say("a leader and three live workers, steady for "
        + Durations.format(DemoTiming.STEADY) + " (" + Durations.format(
            Duration.ofNanos(System.nanoTime() - startup)) + " after the start)");
    screen.table(last, Set.of(), true);
    Lease old = held().orElseThrow();
    DemoNode leader = candidates.stream().filter(c -> c.id().equals(old.holder())).findFirst()
        .orElseThrow(() -> new CliFailure(ExitCodes.DEGRADED, "the lease is held by "
            + old.holder() + ", not by a candidate of this demo"));
    DemoOutcome outcome = new DemoOutcome(old, cast.worker(3), cast.worker(2));
    leader.kill();
    workers.get(2).kill();
    workers.get(1).stall();
    outcome.struck();
    screen.say("killed the leader " + old.holder() + " (token " + old.token() + ") and "
        + cast.worker(3) + "; " + cast.worker(2) + " stops making progress");
    while (!outcome.complete() && !outcome.timedOut()) {
      cli.pacer().pause(DemoTiming.REFRESH);
      refresh();
      outcome.observe(last);
    }
    screen.table(last, Set.of(), true);
    outcome.summary().forEach(screen::plain);
    return outcome.complete() ? ExitCodes.OK : ExitCodes.DEGRADED;
  }

  /**
   * Whether one leader (same holder, same token) and three live workers have lasted
   * {@link DemoTiming#STEADY}: while the members' JVMs start they compete for the processor, and
   * a leader may miss its renewal deadline and step down.
   */
  private boolean steady() {
    refresh();
    boolean ready = last != null && held().isPresent()
        && last.agents().stream().filter(a -> a.state() == AgentState.ALIVE).count()
            == DemoCast.SIZE;
    String leader = ready ? held().get().holder() + "#" + held().get().token() : null;
    long now = System.nanoTime();
    if (leader == null || !leader.equals(steadyLeader)) {
      steadyLeader = leader;
      steadySince = now;
      return false;
    }
    return now - steadySince >= DemoTiming.STEADY.toNanos();
  }

  private Optional<Lease> held() {
    return last.leases().stream().filter(LeaseView::held).map(LeaseView::lease).findFirst();
  }

  private void refresh() {
    try {
      Snapshot s = cast.only(Snapshot.read(store, shown, rule));
      Map<String, String> now = WatchCommand.keys(s);
      if (started) {
        screen.changes(keys, now);
      }
      screen.table(s, WatchCommand.changed(keys, now), false);
      keys = now;
      last = s;
    } catch (HeartbeatStoreException e) {
      screen.say("store read failed: " + cli.redactor().redact(e.getMessage()));
    }
  }

  /**
   * Workers first, then the candidates that do not lead, the leader last: so that no candidate
   * is still campaigning when the leader releases the lease, and nothing is left holding it.
   */
  private void stopAll() {
    String holder = last == null ? null : held().map(Lease::holder).orElse(null);
    List<DemoNode> order = new ArrayList<>(workers);
    candidates.stream().filter(c -> !c.id().equals(holder)).forEach(order::add);
    candidates.stream().filter(c -> c.id().equals(holder)).forEach(order::add);
    for (DemoNode n : order) {
      n.close();
    }
  }
}
