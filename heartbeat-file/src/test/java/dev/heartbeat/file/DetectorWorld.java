package dev.heartbeat.file;

import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentState;
import dev.heartbeat.CallStats;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.StallDetector;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.FaultyStore;
import dev.heartbeat.tck.ManualTime;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * One store directory shared the way separate processes share it: a watcher and each agent have
 * a {@link Heartbeats} of their own, on a {@link FileStore} of their own over the same directory,
 * on a {@link ManualTime} of their own. All clocks start at one origin and move together, one
 * second at a time ({@link #second()}): first every agent whose beat is due, waiting until that
 * beat is answered and its ticker idles again; then the watcher, waiting until its round's read
 * of the store is applied and its ticker idles again. So every beat stored in a second is seen by
 * the watcher in that same second, and nothing depends on real time but the waits.
 */
final class DetectorWorld implements AutoCloseable {
  static final Duration SECOND = Duration.ofSeconds(1);
  static final Duration INTERVAL = Duration.ofSeconds(5);

  final Path dir = FileHarness.freshDirectory();
  final Instant origin = Instant.now();
  final ManualTime watcherTime = new ManualTime(origin);
  final Heartbeats watcher;
  final StallDetector detector;
  final List<AgentChange> changes = new CopyOnWriteArrayList<>();
  private final List<Worker> workers = new ArrayList<>();
  private final List<AutoCloseable> closing = new ArrayList<>();

  DetectorWorld(DetectorConfig config) {
    FileStore store = FileStore.open(dir, watcherTime, 100);
    closing.add(store);
    watcher = Heartbeats.builder().store(store).time(watcherTime).holderId("watcher")
        .closeTimeout(Duration.ofSeconds(2)).build();
    closing.add(watcher);
    Await.until("the watcher's ticker idles",
        () -> watcher.ticker().ticks() >= 1 && watcherTime.parkedThreads() == 1);
    long ticks = watcher.ticker().ticks();
    detector = watcher.detector(config);
    detector.onChange(changes::add);
    awaitRound(ticks);
  }

  /** Starts an agent in a process of its own, beating every 5 s; returns once it registered. */
  Worker start(String id) {
    ManualTime time = new ManualTime(origin);
    time.advance(watcherTime.elapsed());
    FileStore store = FileStore.open(dir, time, 100);
    closing.add(store);
    FaultyStore link = new FaultyStore(store);
    Heartbeats engine = Heartbeats.builder().store(link).time(time)
        .holderId("host-of-" + id + "-" + workers.size()).closeTimeout(Duration.ofSeconds(2))
        .build();
    closing.add(engine);
    HeartbeatAgent agent = engine.agent(id).interval(INTERVAL).start();
    Worker worker = new Worker(id, time, link, engine, agent);
    Await.until(id + " registered", () -> worker.attempts() == 1 && time.parkedThreads() == 1);
    worker.lastStored = elapsedNanos();
    workers.add(worker);
    return worker;
  }

  /** Moves every clock one second on: the agents first, then the watcher's round. */
  void second() {
    for (Worker w : workers) {
      w.step();
    }
    long ticks = watcher.ticker().ticks();
    watcherTime.advance(SECOND);
    awaitRound(ticks);
  }

  /**
   * Moves on a second at a time until {@code done}, at most {@code limit} seconds.
   *
   * @return the seconds it took (more than {@code limit} when it never happened)
   */
  int secondsUntil(BooleanSupplier done, int limit) {
    int seconds = 0;
    while (!done.getAsBoolean() && seconds <= limit) {
      second();
      seconds++;
    }
    return seconds;
  }

  /** Moves on {@code seconds} seconds. */
  void run(int seconds) {
    for (int i = 0; i < seconds; i++) {
      second();
    }
  }

  /**
   * The round started by a wake-up of the watcher's ticker read the store, and the read was
   * applied: the ticker ran a second time (the read's completion) and parks again.
   */
  private void awaitRound(long ticksBefore) {
    Await.until("the watcher's round at " + watcherTime.elapsed(),
        () -> watcher.ticker().ticks() >= ticksBefore + 2 && watcherTime.parkedThreads() == 1);
  }

  long elapsedNanos() {
    return watcherTime.elapsed().toNanos();
  }

  AgentState state(String id) {
    return detector.state(id).orElse(null);
  }

  List<AgentChange> changesOf(String id) {
    return changes.stream().filter(c -> c.agentId().equals(id)).toList();
  }

  /** Waits until the listener has been told {@code count} changes in all. */
  void awaitChanges(int count) {
    Await.until(count + " changes told", () -> changes.size() >= count);
  }

  @Override
  public void close() {
    for (AutoCloseable c : closing.reversed()) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing " + c + " failed", e);
      }
    }
  }

  /** One agent in a process of its own, reaching the store through a link a test can cut. */
  final class Worker {
    final String id;
    final ManualTime time;
    final FaultyStore link;
    final Heartbeats engine;
    final HeartbeatAgent agent;
    /** When its latest beat was stored (nanos since the origin). */
    long lastStored;

    Worker(String id, ManualTime time, FaultyStore link, Heartbeats engine,
        HeartbeatAgent agent) {
      this.id = id;
      this.time = time;
      this.link = link;
      this.engine = engine;
      this.agent = agent;
    }

    long attempts() {
      CallStats beats = agent.diagnostics().beats();
      return beats.succeeded() + beats.failed();
    }

    long stored() {
      return agent.diagnostics().beats().succeeded();
    }

    /** One second on its clock; when a beat falls due, waits for its answer. */
    private void step() {
      Instant due = agent.diagnostics().nextBeatDue();
      long attempts = attempts();
      long stored = stored();
      time.advance(SECOND);
      if (due == null || due.isAfter(time.instant())) {
        return;
      }
      Await.until(id + "'s beat at " + time.elapsed(),
          () -> attempts() > attempts && time.parkedThreads() == 1);
      if (stored() > stored) {
        lastStored = time.elapsed().toNanos();
      }
    }

    @Override
    public String toString() {
      return id + " (" + agent.incarnation() + ")";
    }
  }
}
