package dev.heartbeat.core;

import dev.heartbeat.AgentConfig;
import dev.heartbeat.AgentDiagnostics;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.CallStats;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.TimeSource;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent. What it reports lives in an atomic {@link Report}; the outcome of its beats in an
 * atomic {@link Outcome}; its schedule is read and written by the ticker (see
 * {@link AgentScheduler}). {@code closed} and the in-flight call are guarded by one lock so that
 * {@link #close()} can wait for the last background beat before it records the leave.
 */
final class AgentImpl implements HeartbeatAgent {
  private static final Logger LOG = LoggerFactory.getLogger(AgentImpl.class);

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
  final ReentrantLock lock = new ReentrantLock(); // package-private: tests hold it to stop a beat
  private final AtomicLong claims = new AtomicLong();
  private volatile String lastClaim;
  boolean closed; // guarded by lock
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
    TimeSource time = engine.config().time();
    long start = time.nanoTime();
    try {
      Heartbeat stored = engine.calls().bounded(callKind(), engine.config().callTimeout(), () -> {
        Heartbeat answer = registered ? engine.store().record(beat)
            .orElseGet(() -> engine.store().register(beat)) : engine.store().register(beat);
        // another process took the id over: the last writer wins, as a registration does
        return claimedElsewhere(beat, answer) ? engine.store().register(beat) : answer;
      });
      succeeded(sent, stored, Duration.ofNanos(Math.max(0, time.nanoTime() - start)));
      return stored;
    } catch (RuntimeException e) {
      failed(e);
      throw e;
    }
  }

  /** The next beat to send, carrying new progress if any; {@code status} overrides the report. */
  Sent nextBeat(AgentStatus status, OptionalDouble cpu) {
    Report r = report.get();
    boolean newProgress = r.version() > 0 && r.version() > confirmedVersion.get();
    Beat beat = new Beat(id, incarnation, sequence.incrementAndGet(),
        Optional.ofNullable(r.taskId()), status != null ? status : r.status(), cpu,
        Optional.ofNullable(r.progress()), newProgress,
        Optional.of(config.interval()));
    return new Sent(this, beat, r.version());
  }

  /**
   * The kind of this agent's store calls: while one the engine gave up on still runs, no other
   * is sent (see {@link StoreCalls}).
   */
  String callKind() {
    return "beat(" + id + ")";
  }

  /** The store kept the beat and returned {@code stored}, {@code latency} after it was sent. */
  private volatile Runnable onBeating;

  void succeeded(Sent sent, Heartbeat stored, Duration latency) {
    registered = true;
    confirmedVersion.accumulateAndGet(sent.version(), Math::max);
    Beat beat = sent.beat();
    // the very record written, or a newer one of this run that overtook it (a racing beat())
    boolean verified = stored.agentId().equals(beat.agentId())
        && stored.incarnation().equals(beat.incarnation())
        && stored.sequence() >= beat.sequence();
    Instant at = engine.config().time().instant();
    Outcome before = outcome.getAndUpdate(o -> new Outcome(o.beats().success(at, latency),
        Math.max(o.lastSequence(), stored.sequence()), verified));
    Runnable hook = onBeating;
    if (hook != null && (before.beats().succeeded() == 0 || before.beats().failing())) {
      hook.run();
    }
  }

  /**
   * Runs {@code hook} on the ticker whenever this agent's beats start succeeding: the first
   * stored beat, and the first after failures. It must not block. One hook per agent (a task
   * worker's, to claim what it skipped while it could not).
   */
  void onBeating(Runnable hook) {
    this.onBeating = hook;
  }

  /**
   * Whether the store answered {@code sent} with the state of another run of this id (another
   * process registered it, or a tool recorded it as left): the beat changed nothing, and this
   * agent must register again. Logged at WARN once per other run, at DEBUG after that.
   */
  boolean claimedElsewhere(Beat sent, Heartbeat stored) {
    boolean otherRun = !stored.incarnation().equals(incarnation);
    boolean leftByOthers = !otherRun && stored.status() == AgentStatus.LEFT
        && sent.status() != AgentStatus.LEFT && !isClosed();
    if (!otherRun && !leftByOthers) {
      return false;
    }
    String other = stored.incarnation() + "/" + stored.sequence() + "/" + stored.status();
    String key = otherRun ? stored.incarnation() : other;
    if (!key.equals(lastClaim)) {
      lastClaim = key;
      claims.incrementAndGet();
      LOG.warn("{}: {} holds another state of this id ({}): another process registered it or "
          + "recorded it; registering again (the last writer wins, a detector sees the flips)",
          this, engine.store().describe(), other);
    } else {
      LOG.debug("{}: {} holds another run again ({}); registering again", this,
          engine.store().describe(), other);
    }
    return true;
  }

  /** Other runs of this id seen in the store (for tests). */
  long claimsSeen() {
    return claims.get();
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

  /** Clears the call in flight; returns it, or null. */
  CompletableFuture<?> end() {
    lock.lock();
    try {
      CompletableFuture<?> call = inFlight;
      inFlight = null;
      return call;
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
