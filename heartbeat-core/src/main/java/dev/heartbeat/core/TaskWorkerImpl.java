package dev.heartbeat.core;

import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.CallStats;
import dev.heartbeat.TaskWorker;
import dev.heartbeat.TimeSource;
import dev.heartbeat.WorkerStats;
import dev.heartbeat.spi.ClaimAnswer;
import dev.heartbeat.spi.ClaimRenewal;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TaskWorker}: an agent (its beats ride the engine's ticker) plus a supervising loop on
 * one virtual thread of its own that parks on the engine's clock and never waits for the store.
 * Each round the loop fences attempts whose claim validity ran out (validity = when the last
 * successful renewal was sent + 2/3 of the claim ttl), stops attempts past their attempt or
 * progress timeout, sends pending progress, renews every claim in one {@code renewClaims} batch
 * per interval, and claims up to its free concurrency while its beats and renewals succeed. Its
 * store calls are asynchronous, at most {@value #CLAIMS_ON_THEIR_WAY} claims and one renewal on
 * their way at a time; their answers update the attempts and wake the loop. It hears its queue's
 * {@code TaskSignals} where the store has them and claims at once, polling all the same.
 */
final class TaskWorkerImpl implements TaskWorker {
  private static final Logger LOG = LoggerFactory.getLogger(TaskWorkerImpl.class);

  /**
   * The most claims on their way at once, each for the slots free when it was sent: a slot that
   * frees while one is on its way is claimed at once by the next, so that the claim's round trip
   * is not paid by every slot in turn.
   */
  static final int CLAIMS_ON_THEIR_WAY = 2;

  private final Engine engine;
  private final TaskStore store;
  private final WorkerSettings settings;
  private final AgentImpl agent;
  private final TimeSource time;
  private final WorkerCounters counters = new WorkerCounters();
  private final EndBatcher ends;
  private final AttemptRunner runner;
  private final QueueSignal signal;
  /**
   * Task id to the attempt whose claim the worker holds: its handler running, or its end on its
   * way; at most {@code 2 x concurrency} entries.
   */
  private final ConcurrentHashMap<String, RunningAttempt> running = new ConcurrentHashMap<>();
  /** Attempts whose handler runs: at most {@code concurrency}. */
  private final AtomicInteger busy = new AtomicInteger();
  /** Claims sent and not answered yet: at most {@value #CLAIMS_ON_THEIR_WAY}. */
  private final AtomicInteger claimsOnTheirWay = new AtomicInteger();
  /** The slots that the claims on their way asked for. */
  private final AtomicInteger reserved = new AtomicInteger();
  private final AtomicBoolean renewing = new AtomicBoolean();
  private final AtomicBoolean claimSoon = new AtomicBoolean(true);
  /**
   * Whether the queue may hold a task unclaimed (set by a signal, a claim answered in full and the
   * start; cleared when a claim is sent): where the queue signals, only then is a freed slot
   * claimed for (else tasks submitted one by one cost an empty claim each).
   */
  private final AtomicBoolean mayHaveMore = new AtomicBoolean(true);
  /** A slot freed while the most claims were on their way: claim once one returns. */
  private final AtomicBoolean claimAgain = new AtomicBoolean();
  private final ReentrantLock lock = new ReentrantLock();
  private final long validityNanos;
  private final Thread loop;
  private volatile boolean renewalsOk = true;
  /** The deadline the loop waits for, or {@code Long.MIN_VALUE} while it runs. */
  private volatile long parkedUntil = Long.MIN_VALUE;
  private volatile boolean closing;
  private volatile boolean stopped;
  private volatile Thread closer;
  private boolean closed; // guarded by lock

  TaskWorkerImpl(Engine engine, TaskStore store, WorkerSettings settings, AgentImpl agent) {
    this.engine = engine;
    this.store = store;
    this.settings = settings;
    this.agent = agent;
    this.time = engine.config().time();
    this.validityNanos = settings.claimTtl().toNanos() / 3 * 2;
    this.ends = new EndBatcher(engine.calls(), store, time, agent.id(),
        2 * settings.concurrency());
    this.runner = new AttemptRunner(engine, store, settings.handler(), counters, ends,
        this::finished, this::ended);
    this.loop = Thread.ofVirtual().name("heartbeat-worker-" + agent.id()).unstarted(this::loop);
    this.signal = new QueueSignal(store, settings.queue(), this::signalled, this);
    agent.onBeating(this::signalled); // a claim skipped while it could not beat is made now
  }

  /** The store says the queue may have a task: claim at once rather than at the next poll. */
  private void signalled() {
    mayHaveMore.set(true);
    claimSoon.set(true);
    LockSupport.unpark(loop);
  }

  /** A slot freed: claim for it soon if the queue may have a task for it. */
  private void slotFreed() {
    claimSoon.compareAndSet(false, mayHaveMore.get() || !signal.listening());
    LockSupport.unpark(loop);
  }

  /** Whether the worker hears its queue's signals now (for tests). */
  boolean listening() {
    return signal.listening();
  }

  TaskWorkerImpl start() {
    loop.start();
    return this;
  }

  @Override
  public String id() {
    return agent.id();
  }

  @Override
  public String incarnation() {
    return agent.incarnation();
  }

  @Override
  public WorkerStats stats() {
    return counters.snapshot(busy.get());
  }

  /** The supervising loop's thread (for tests that wait for it to park). */
  Thread loopThread() {
    return loop;
  }

  /**
   * Whether the loop waits for a deadline still ahead with no claim or renewal on its way, so
   * that a test may move the clock (for tests: a loop woken by the clock is still listed as
   * parked on a manual clock until it runs).
   */
  boolean idle() {
    long until = parkedUntil;
    return until != Long.MIN_VALUE && until - time.nanoTime() > 0 && claimsOnTheirWay.get() == 0
        && !renewing.get() && !claimSoon.get();
  }

  /** Ends waiting behind the batch of ends on its way (for tests). */
  int endsWaiting() {
    return ends.waiting();
  }

  AgentImpl agent() {
    return agent;
  }

  private void loop() {
    long nextRenew = time.nanoTime() + settings.interval().toNanos();
    long nextPoll = time.nanoTime();
    while (!stopped) {
      try {
        long now = time.nanoTime();
        supervise(now);
        if (now - nextRenew >= 0) {
          sendProgress();
          renew();
          nextRenew = now + settings.interval().toNanos();
        }
        if (now - nextPoll >= 0) {
          signal.ensure();
        }
        if (claimSoon.getAndSet(false) || now - nextPoll >= 0) {
          claim();
          nextPoll = now + settings.pollInterval().toNanos();
        }
        long wake = Math.min(nextRenew, nextPoll);
        for (RunningAttempt a : running.values()) {
          if (!a.isEnded() && a.stopReason().isEmpty()) {
            wake = Math.min(wake, a.nextDeadline());
          }
        }
        if (!stopped && !claimSoon.get()) {
          parkedUntil = wake;
          time.parkUntil(wake);
          parkedUntil = Long.MIN_VALUE;
        }
      } catch (Throwable e) {
        LOG.warn("{}: its loop failed; going on", this, e);
        time.parkUntil(time.nanoTime() + settings.pollInterval().toNanos());
      }
    }
  }

  /** Fences, times out and stalls what is due at {@code now}. */
  private void supervise(long now) {
    for (RunningAttempt a : running.values()) {
      if (a.isEnded() || a.stopReason().isPresent()) {
        continue;
      }
      if (!a.validAt(now)) {
        LOG.warn("{}: {} could not renew its claim in time: interrupting it before the store "
            + "hands the task to another worker", this, a);
        counters.selfFenced();
        runner.stop(a, AttemptOutcome.FENCED_OUT);
        continue;
      }
      AttemptOutcome due = a.dueStop(now);
      if (due != null) {
        runner.stop(a, due);
      }
    }
  }

  private void sendProgress() {
    for (RunningAttempt a : running.values()) {
      RunningAttempt.Progress p = a.isEnded() ? null : a.takeProgress();
      if (p == null) {
        continue;
      }
      a.progressWrite = engine.calls().async("taskProgress(" + a.queue() + "/" + a.taskId()
          + ")", () -> store.progress(a.claim(), p.text(), p.checkpoint())).whenComplete((ok, e) -> {
            a.writingProgress.set(false);
            if (e != null) {
              LOG.debug("{}: its progress was not written", a, e);
            } else if (!ok) {
              fencedOut(a);
            }
          });
    }
  }

  private void renew() {
    List<RunningAttempt> live = new ArrayList<>();
    for (RunningAttempt a : running.values()) {
      // an attempt writing its end stays listed until the store answered: its claim is kept
      // alive meanwhile, or a slow end would find it expired and be refused
      if (a.stopReason().orElse(null) != AttemptOutcome.FENCED_OUT) {
        live.add(a);
      }
    }
    if (live.isEmpty()) {
      renewalsOk = true;
      return;
    }
    if (!renewing.compareAndSet(false, true)) {
      return; // the last batch is still on its way
    }
    List<ClaimRenewal> renewals = live.stream()
        .map(a -> new ClaimRenewal(a.claim(), settings.claimTtl())).toList();
    long sent = time.nanoTime();
    engine.calls().async("renewClaims(" + id() + ")", () -> store.renewClaims(renewals))
        .whenComplete((answers, e) -> {
          try {
            if (e != null || answers == null || answers.size() != live.size()) {
              if (renewalsOk) {
                LOG.warn("{}: renewing its {} claims failed; taking no new tasks until it "
                    + "succeeds", this, live.size(), e);
              }
              renewalsOk = false;
              return;
            }
            if (!renewalsOk) {
              LOG.info("{}: renewing its claims succeeds again", this);
            }
            renewalsOk = true;
            for (int i = 0; i < live.size(); i++) {
              renewed(live.get(i), answers.get(i), sent);
            }
          } finally {
            renewing.set(false);
            LockSupport.unpark(loop);
          }
        });
  }

  private void renewed(RunningAttempt a, ClaimAnswer answer, long sent) {
    if (!answer.held()) {
      fencedOut(a);
      return;
    }
    a.renewed(sent + validityNanos);
    if (answer.cancelRequested() && !a.isEnded()) { // an end on its way is not interrupted
      runner.stop(a, AttemptOutcome.CANCELLED);
    }
  }

  private void fencedOut(RunningAttempt a) {
    if (a.stopReason().isEmpty() && !a.isEnded()) {
      LOG.info("{}: its claim is gone (the store refused it): fenced out", a);
      counters.ended(AttemptOutcome.FENCED_OUT);
      runner.stop(a, AttemptOutcome.FENCED_OUT);
    }
  }

  /**
   * Slots free for new claims: a slot frees when its handler is over, so that the next task runs
   * while the last one's end is on its way; the ends on their way are bounded by as many again.
   */
  private int free() {
    return Math.min(settings.concurrency() - busy.get(),
        2 * settings.concurrency() - running.size());
  }

  /** Whether the worker may claim: open, its beats and renewals succeeding, a slot free. */
  private boolean mayClaim() {
    CallStats beats = agent.outcome().beats();
    return !closing && beats.succeeded() > 0 && !beats.failing() && renewalsOk && free() > 0;
  }

  private void claim() {
    if (!mayClaim()) {
      return;
    }
    // only this loop sends claims; an answer adds its attempts before it gives back its slots,
    // and the reservations are read before the slots, so the count can be short, never over
    int reservedNow = reserved.get();
    int free = free() - reservedNow;
    if (free <= 0 || claimsOnTheirWay.get() >= CLAIMS_ON_THEIR_WAY) {
      // a slot freed while claims are on their way: claim again as soon as one returns
      claimAgain.set(true);
      if (claimsOnTheirWay.get() == 0 && claimAgain.getAndSet(false)) {
        claimSoon.set(true); // they returned meanwhile
      }
      return;
    }
    reserved.addAndGet(free);
    claimsOnTheirWay.incrementAndGet();
    mayHaveMore.set(false); // a signal from now on sets it again
    long sent = time.nanoTime();
    engine.calls().async("claimTasks(" + id() + ")", () -> store.claim(settings.queue(), id(),
        incarnation(), free, settings.claimTtl())).whenComplete((claims, e) -> {
          try {
            if (e != null) {
              LOG.debug("{}: claiming failed", this, e);
              mayHaveMore.set(true); // what it was sent for is still to be claimed
              return;
            }
            claimed(claims, free, sent);
          } finally {
            reserved.addAndGet(-free);
            claimsOnTheirWay.decrementAndGet();
            if (claimAgain.getAndSet(false)) {
              claimSoon.set(true);
            }
            LockSupport.unpark(loop);
          }
        });
  }

  private void claimed(List<TaskClaim> claims, int free, long sent) {
    counters.claimed(claims.size());
    if (claims.size() == free) {
      mayHaveMore.set(true);
      claimSoon.set(true); // there may be more due
    }
    for (int i = 0; i < claims.size(); i++) {
      TaskClaim c = claims.get(i);
      counters.claimed(c.task());
      if (i >= free || closing) {
        LOG.warn("{}: not running {} (claimed beyond its free slots or while closing); its "
            + "claim will expire", this, c.claim());
        continue;
      }
      RunningAttempt a = new RunningAttempt(c, this, time, sent + validityNanos);
      busy.incrementAndGet();
      running.put(c.task().id(), a);
      agent.working(c.task().id(), "attempt " + a.attempt());
      runner.start(a);
    }
  }

  /** Called by an attempt's context when its handler reports progress. */
  void progressed(RunningAttempt a, String text) {
    agent.working(a.taskId(), text);
  }

  /** An attempt's handler is over; its end is about to be written: its slot is free. */
  private void finished(RunningAttempt a) {
    busy.decrementAndGet();
    slotFreed();
  }

  private void ended(RunningAttempt a) {
    running.remove(a.taskId(), a);
    if (running.isEmpty()) {
      agent.idle();
    }
    slotFreed();
    Thread c = closer;
    if (c != null) {
      LockSupport.unpark(c);
    }
  }

  @Override
  public void close() {
    close(settings.drainTimeout());
  }

  /**
   * Drains for at most {@code drain} of the engine's clock, releases what still runs, waits up to
   * the engine's close timeout of real time for those ends, then stops the loop and leaves.
   */
  void close(Duration drain) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      lock.unlock();
    }
    closing = true;
    closer = Thread.currentThread();
    LockSupport.unpark(loop);
    long deadline = time.nanoTime() + drain.toNanos();
    while (!running.isEmpty() && time.nanoTime() - deadline < 0
        && !Thread.currentThread().isInterrupted()) {
      time.parkUntil(deadline);
    }
    for (RunningAttempt a : running.values()) {
      runner.stop(a, AttemptOutcome.RELEASED);
    }
    long realDeadline = System.nanoTime() + engine.config().closeTimeout().toNanos();
    while (!running.isEmpty() && System.nanoTime() - realDeadline < 0) {
      LockSupport.parkNanos(this, Duration.ofMillis(10).toNanos());
    }
    if (!running.isEmpty()) {
      LOG.warn("{}: {} attempts did not end within the close timeout", this, running.size());
    }
    stopped = true;
    signal.close();
    LockSupport.unpark(loop);
    engine.workerClosed(this);
    agent.close();
    LOG.info("{} closed: {}", this, stats());
  }

  @Override
  public String toString() {
    return "task worker " + id() + " (" + incarnation() + ") on " + settings.queue();
  }
}
