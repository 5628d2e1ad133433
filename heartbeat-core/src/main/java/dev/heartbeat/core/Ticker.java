package dev.heartbeat.core;

import dev.heartbeat.TickerStats;
import dev.heartbeat.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one background thread of a {@code Heartbeats}: a daemon platform thread of its own, named
 * {@code heartbeat-ticker-<holder>}, that belongs to the library, not to whoever created the
 * agents. Each round it runs the answers of finished store calls, then the notices waiting for
 * it, then asks each {@link Tickable} what is due, then parks until the earliest next deadline or
 * until woken. Everything it runs is caught: the loop never dies. The lateness of every timed
 * wake-up is measured.
 *
 * <p>A platform thread, not a virtual one, so that store calls (virtual threads) cannot starve it:
 * a virtual thread that holds its carrier (a busy loop; on Java 21 also a driver blocking inside
 * {@code synchronized}, which pins the carrier; Java 24 and later no longer pin there) can take
 * every carrier of the virtual-thread scheduler, and a virtual ticker would then fire no deadline
 * at all.
 *
 * <p>Two queues: {@link #post} for the answers of store calls, which are never dropped (and are
 * bounded by the calls running, see {@link StoreCalls}: one answer per call); {@link #offer} for
 * notices that may be lost (a beat pushed by a store's live feed, which the detector's polling
 * reads anyway), bounded at {@value #NOTICE_CAPACITY}: a notice that finds it full is dropped and
 * counted in {@link TickerStats#dropped()}.
 */
final class Ticker {
  private static final Logger LOG = LoggerFactory.getLogger(Ticker.class);

  private static final long IDLE_WAKE_NANOS = Duration.ofSeconds(30).toNanos();
  /** The most notices waiting for the ticker. */
  static final int NOTICE_CAPACITY = 10_000;

  private final TimeSource time;
  private final List<Tickable> parts;
  /**
   * Answers of store calls, never dropped. Bounded by the calls on their way, which
   * {@link StoreCalls} bounds: one answer per call, and no call of a kind is sent while an
   * abandoned one of that kind still runs. Notices, which nothing bounds upstream, go to the
   * bounded {@code notices} instead.
   */
  private final ConcurrentLinkedQueue<Runnable> posted = new ConcurrentLinkedQueue<>();
  private final ArrayBlockingQueue<Runnable> notices = new ArrayBlockingQueue<>(NOTICE_CAPACITY);
  private final AtomicReference<TickerStats> stats = new AtomicReference<>(TickerStats.NONE);
  private final Thread thread;
  private final StoreCalls calls;
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean stopped;

  Ticker(String name, TimeSource time, List<Tickable> parts, StoreCalls calls) {
    this.time = time;
    this.calls = calls;
    this.parts = List.copyOf(parts);
    this.thread = Thread.ofPlatform().daemon().name("heartbeat-ticker-" + name)
        .unstarted(this::loop);
  }

  void start() {
    thread.start();
  }

  /** Runs {@code answer} (of a store call) on the ticker thread at its next round; never lost. */
  void post(Runnable answer) {
    posted.add(answer);
    wake();
  }

  /**
   * Runs {@code notice} on the ticker thread at its next round, unless {@value #NOTICE_CAPACITY}
   * notices wait already: then it is dropped and counted.
   *
   * @return whether it was queued
   */
  boolean offer(Runnable notice) {
    if (!notices.offer(notice)) {
      dropped();
      return false;
    }
    wake();
    return true;
  }

  /** Counts one notice dropped by a bounded queue of the engine. */
  void dropped() {
    dropped.incrementAndGet();
  }

  /** Makes the ticker look at its work now. */
  void wake() {
    LockSupport.unpark(thread);
  }

  TickerStats stats() {
    TickerStats s = stats.get();
    return new TickerStats(s.ticks(), s.lastLateness(), s.maxLateness(), s.errors(),
        dropped.get(), calls.running(), calls.refused());
  }

  /** The ticker's thread (for tests that wait for it to wait). */
  Thread thread() {
    return thread;
  }

  /**
   * Whether no answer or notice waits for the ticker's next round (for tests: a ticker that was
   * handed an answer is still listed as parked on a manual clock until it runs).
   */
  boolean nothingPosted() {
    return posted.isEmpty() && notices.isEmpty();
  }

  boolean isTickerThread() {
    return Thread.currentThread() == thread;
  }

  /** Stops the loop and waits for it, at most {@code timeout} of real time. */
  void stop(Duration timeout) {
    stopped = true;
    wake();
    if (!isTickerThread()) {
      try {
        if (!thread.join(timeout)) {
          LOG.warn("heartbeat ticker {} did not stop within {}", thread.getName(), timeout);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void loop() {
    long planned = time.nanoTime();
    while (!stopped) {
      Thread.interrupted(); // nobody may stop the ticker but stop(); a stray interrupt is ignored
      long now = time.nanoTime();
      record(planned, now);
      long next = Long.MAX_VALUE;
      for (Runnable task; (task = posted.poll()) != null; ) {
        run(task);
      }
      // what waits now, not what keeps coming while it runs: a flood cannot hold the round up
      for (int n = notices.size(); n > 0; n--) {
        Runnable notice = notices.poll();
        if (notice == null) {
          break;
        }
        run(notice);
      }
      for (Tickable part : parts) {
        try {
          next = Math.min(next, part.tick(now));
        } catch (Throwable e) {
          failed(e);
          next = Math.min(next, now + Duration.ofSeconds(1).toNanos());
        }
      }
      // an idle ticker still wakes now and then; also keeps MAX_VALUE out of clock arithmetic
      planned = next == Long.MAX_VALUE ? now + IDLE_WAKE_NANOS : next;
      if (posted.isEmpty() && notices.isEmpty() && !stopped) {
        time.parkUntil(planned);
      }
    }
  }

  private void record(long planned, long now) {
    long late = now - planned;
    TickerStats s = stats.get();
    if (late < 0) {
      stats.set(new TickerStats(s.ticks() + 1, s.lastLateness(), s.maxLateness(), s.errors(), 0,
          0, 0));
      return;
    }
    Duration lateness = Duration.ofNanos(late);
    Duration max = lateness.compareTo(s.maxLateness()) > 0 ? lateness : s.maxLateness();
    stats.set(new TickerStats(s.ticks() + 1, lateness, max, s.errors(), 0, 0, 0));
  }

  private void run(Runnable task) {
    try {
      task.run();
    } catch (Throwable e) {
      failed(e);
    }
  }

  private void failed(Throwable e) {
    stats.updateAndGet(s -> new TickerStats(s.ticks(), s.lastLateness(), s.maxLateness(),
        s.errors() + 1, 0, 0, 0));
    LOG.error("heartbeat ticker caught an exception and goes on", e);
  }
}
