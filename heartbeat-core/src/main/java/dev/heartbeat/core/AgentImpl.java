package dev.heartbeat.core;

import dev.heartbeat.AgentConfig;
import dev.heartbeat.AgentDiagnostics;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.CallStats;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.Checks;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One agent. What it reports lives in an atomic {@link Report}; the outcome of its beats in an
 * atomic {@link Outcome}; its schedule is read and written by the ticker (see
 * {@link AgentScheduler}). {@code closed} and the in-flight call are guarded by one lock so that
 * {@link #close()} can wait for the last background beat before it records the leave.
 */
final class AgentImpl implements HeartbeatAgent {
  /** A beat on its way, with the version of the report it carries. */
  record Sent(AgentImpl agent, Beat beat, long version) {}

  /** Outcome of the beats so far. */
  record Outcome(CallStats beats, long lastSequence, boolean verified) {
    static final Outcome NONE = new Outcome(CallStats.NONE, -1, false);
  }

  private final String id;
  private final String incarnation;
  private final AgentConfig config;
  private final Engine engine;
  private final AtomicReference<Report> report;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong confirmedVersion = new AtomicLong(-1);
  private final AtomicReference<Outcome> outcome = new AtomicReference<>(Outcome.NONE);
  private final ReentrantLock lock = new ReentrantLock();
  private boolean closed;
  private CompletableFuture<?> inFlight;
  volatile boolean registered;
  volatile long nextDue;
  // confined to the ticker thread
  long attempt;
  long sentAt;

  AgentImpl(String id, AgentConfig config, Report initial, Engine engine, long firstDue) {
    this.id = id;
    this.incarnation = Incarnations.next();
    this.config = config;
    this.engine = engine;
    this.report = new AtomicReference<>(initial);
    this.nextDue = firstDue;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String incarnation() {
    return incarnation;
  }

  @Override
  public AgentConfig config() {
    return config;
  }

  @Override
  public void working(String taskId, String progress) {
    Checks.id("taskId", taskId);
    Checks.text("progress", progress);
    report.updateAndGet(r -> r.working(taskId, progress));
  }

  @Override
  public void progress(String progress) {
    Checks.text("progress", progress);
    report.updateAndGet(r -> r.progressed(progress));
  }

  @Override
  public void idle() {
    report.updateAndGet(Report::idle);
  }

  @Override
  public Heartbeat beat() {
    if (isClosed()) {
      throw new IllegalStateException("agent '" + id + "' is closed");
    }
    Sent sent = nextBeat(null, Cpu.processLoad());
    Beat beat = sent.beat();
    try {
      Heartbeat stored = engine.calls().bounded("beat(" + id + ")", engine.config().callTimeout(),
          () -> registered ? engine.store().record(beat)
              .orElseGet(() -> engine.store().register(beat)) : engine.store().register(beat));
      succeeded(sent, stored);
      return stored;
    } catch (RuntimeException e) {
      failed(e);
      throw e;
    }
  }

  /** The next beat to send, carrying new progress if any; {@code status} overrides the report. */
  Sent nextBeat(AgentStatus status, double cpu) {
    Report r = report.get();
    boolean newProgress = r.version() > 0 && r.version() > confirmedVersion.get();
    Beat beat = new Beat(id, incarnation, sequence.incrementAndGet(), r.taskId(),
        status != null ? status : r.status(), cpu, r.progress(), newProgress);
    return new Sent(this, beat, r.version());
  }

  /** The store kept the beat and returned {@code stored}. */
  void succeeded(Sent sent, Heartbeat stored) {
    registered = true;
    confirmedVersion.accumulateAndGet(sent.version(), Math::max);
    Beat beat = sent.beat();
    boolean verified = stored.agentId().equals(beat.agentId())
        && stored.incarnation().equals(beat.incarnation())
        && stored.sequence() == beat.sequence();
    Instant at = engine.config().time().instant();
    outcome.updateAndGet(o -> new Outcome(o.beats().success(at),
        Math.max(o.lastSequence(), stored.sequence()), verified));
  }

  void failed(Throwable cause) {
    outcome.updateAndGet(o -> new Outcome(o.beats().failure(cause), o.lastSequence(), false));
  }

  Outcome outcome() {
    return outcome.get();
  }

  /**
   * Marks a background call in flight.
   *
   * @return false when the agent is closed, so the call must not be made
   */
  boolean begin(CompletableFuture<?> call) {
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      inFlight = call;
      return true;
    } finally {
      lock.unlock();
    }
  }

  void end() {
    lock.lock();
    try {
      inFlight = null;
    } finally {
      lock.unlock();
    }
  }

  boolean inFlight() {
    lock.lock();
    try {
      return inFlight != null;
    } finally {
      lock.unlock();
    }
  }

  boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Marks the agent closed.
   *
   * @return the background call still in flight (to wait for before leaving), or null; empty
   *     when it was closed already
   */
  Optional<CompletableFuture<?>> markClosed() {
    lock.lock();
    try {
      if (closed) {
        return Optional.empty();
      }
      closed = true;
      return Optional.of(inFlight == null ? CompletableFuture.completedFuture(null) : inFlight);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public AgentDiagnostics diagnostics() {
    Outcome o = outcome.get();
    boolean isClosed = isClosed();
    Instant now = engine.config().time().instant();
    Instant due = isClosed ? null
        : now.plusNanos(nextDue - engine.config().time().nanoTime());
    return new AgentDiagnostics(id, incarnation, o.beats(), o.lastSequence(), o.verified(), due,
        engine.ticker(), isClosed, now);
  }

  @Override
  public void close() {
    engine.agents().leave(java.util.List.of(this));
  }

  @Override
  public String toString() {
    return "agent " + id + " (" + incarnation + ")";
  }
}
