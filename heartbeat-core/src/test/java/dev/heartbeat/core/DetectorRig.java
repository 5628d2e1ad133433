package dev.heartbeat.core;

import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentState;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.HeartbeatFeed;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.FaultyStore;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A deterministic world for the detector: a real {@link MemoryStore} on a {@link ManualTime},
 * simulated agents that record beats into it on a schedule, and a {@link DetectorImpl} whose
 * reads complete at once and whose listeners run on the test thread. {@link #run} moves time in
 * small steps; at each step the agents that are due beat, then the detector gets a tick (which
 * acts only when its round is due), exactly as the ticker would call it.
 */
final class DetectorRig {
  static final Duration STEP = Duration.ofMillis(100);

  final ManualTime time = new ManualTime();
  final MemoryStore store = new MemoryStore(time, 100);
  /** The detector reads through this link, so a test can make reads fail. */
  final FaultyStore link = new FaultyStore(store);
  final DetectorConfig config;
  final DetectorImpl detector;
  final List<AgentChange> changes = new ArrayList<>();
  final Map<String, Sim> agents = new HashMap<>();

  DetectorRig(DetectorConfig config) {
    this(config, null);
  }

  /** A rig with an optional feed. */
  DetectorRig(DetectorConfig config, HeartbeatFeed feed) {
    this.config = config;
    this.detector = new DetectorImpl(config, time, "memory:", reads(link), Runnable::run,
        feed, new ChangeListeners(Runnable::run));
    detector.onChange(changes::add);
  }

  /** Reads of {@code s} that complete at once. */
  static DetectorImpl.Reads reads(HeartbeatStore s) {
    return new DetectorImpl.Reads() {
      @Override
      public CompletableFuture<DetectorImpl.Poll> all() {
        return read(s);
      }

      @Override
      public CompletableFuture<DetectorImpl.Poll> since(dev.heartbeat.spi.ChangeCursor cursor) {
        try {
          return CompletableFuture.completedFuture(
              DetectorImpl.Poll.of(s.agentsChangedSince(cursor), s.now()));
        } catch (RuntimeException e) {
          return CompletableFuture.failedFuture(e);
        }
      }
    };
  }

  private static CompletableFuture<DetectorImpl.Poll> read(HeartbeatStore s) {
    try {
      return CompletableFuture.completedFuture(new DetectorImpl.Poll(s.agents(), s.now()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** A simulated agent beating every {@code intervals.getAsLong()} nanos from now. */
  Sim agent(String id, LongSupplier intervals) {
    Sim sim = new Sim(id, intervals);
    sim.nextAt = time.nanoTime();
    agents.put(id, sim);
    return sim;
  }

  /** Moves time by {@code total} in steps, beating and ticking at each. */
  void run(Duration total) {
    long end = time.nanoTime() + total.toNanos();
    while (time.nanoTime() - end < 0) {
      time.advance(STEP);
      beatAndTick();
    }
  }

  /** Beats the due agents and ticks the detector, at the current instant. */
  void beatAndTick() {
    long now = time.nanoTime();
    for (Sim sim : agents.values()) {
      if (!sim.crashed && now - sim.nextAt >= 0) {
        sim.beat();
        sim.nextAt = now + sim.intervals.getAsLong();
      }
    }
    detector.tick(now);
  }

  AgentState state(String id) {
    return detector.state(id).orElseThrow();
  }

  List<AgentChange> changesOf(String id) {
    return changes.stream().filter(c -> c.agentId().equals(id)).toList();
  }

  /** One simulated agent; it records its beats in the rig's store. */
  final class Sim {
    final String id;
    final LongSupplier intervals;
    String incarnation = "run-1";
    long sequence;
    long nextAt;
    boolean crashed;
    boolean registered;
    AgentStatus status = AgentStatus.IDLE;
    String task;
    String progress;
    boolean newProgress;
    long lastStoredAt;
    Consumer<Heartbeat> onStored = h -> { };

    Sim(String id, LongSupplier intervals) {
      this.id = id;
      this.intervals = intervals;
    }

    void working(String newTask, String newProgress) {
      status = AgentStatus.WORKING;
      task = newTask;
      progress = newProgress;
      this.newProgress = true;
    }

    Heartbeat beat() {
      Beat beat = new Beat(id, incarnation, ++sequence, Optional.ofNullable(task), status,
          OptionalDouble.of(0.25), Optional.ofNullable(progress), newProgress, Optional.empty());
      newProgress = false;
      Heartbeat stored = registered ? store.record(beat).orElseThrow() : store.register(beat);
      registered = true;
      lastStoredAt = time.nanoTime();
      onStored.accept(stored);
      return stored;
    }

    /** Beats once more as LEFT and stops, as {@code close()} does. */
    void leave() {
      status = AgentStatus.LEFT;
      beat();
      crashed = true;
    }

    /** Comes back as a new run, beating from now on. */
    void restart(String newIncarnation) {
      incarnation = newIncarnation;
      sequence = 0;
      registered = false;
      crashed = false;
      nextAt = time.nanoTime();
    }
  }
}
