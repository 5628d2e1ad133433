package dev.heartbeat.core;

import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentState;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.HeartbeatsConfig;
import dev.heartbeat.StallDetector;
import dev.heartbeat.TimeSource;
import dev.heartbeat.spi.AgentChanges;
import dev.heartbeat.spi.ChangeCursor;
import dev.heartbeat.spi.HeartbeatFeed;
import dev.heartbeat.spi.HeartbeatStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stall detector on the ticker. Every poll interval it judges every agent
 * ({@link DetectorCore}) and starts a read of the store, asynchronously; the read's beats arrive
 * back on the ticker thread, stamped with the ticker's monotonic clock. A read is incremental
 * ({@link HeartbeatStore#agentsChangedSince}: the agents changed since the cursor of the last
 * answer, and the agents forgotten since; {@value #READS_PER_POLL} a poll interval while the
 * answers are incremental), except one every {@value #FULL_READ_EVERY} poll intervals, which reads
 * every agent ({@link HeartbeatStore#agents()}) as a safety net: it finds what an incremental
 * read could not (a write that committed later than the store's overlap allows, a forget pruned
 * before it was read) and drops the agents the store no longer has. A store without an index of
 * its changes answers every read in full, as before. Beats from a live feed
 * arrive the same way, and the store is then read {@value DetectorConfig#FEED_POLL_FACTOR} times
 * less often. A round that starts later than the local pause tolerance convicts nobody and the
 * pause is not counted as anyone's silence; neither is time during which the store could not be
 * read (no successful read for {@value #BLIND_AFTER_POLLS} reads' worth of time). One log line
 * per change of state. After each read, agents {@code LEFT} or {@code DEAD} and silent for longer
 * than {@link HeartbeatsConfig#forgetAfter()} are forgotten in the store, at most
 * {@value HeartbeatsConfig#FORGET_PER_CALL} per call and one call at a time, and then here.
 */
final class DetectorImpl implements StallDetector {
  private static final Logger LOG = LoggerFactory.getLogger(DetectorImpl.class);
  static final int BLIND_AFTER_POLLS = 3;
  static final int ABANDON_AFTER_POLLS = 10;
  /** Every this many reads, one is a full read of every agent; the others are incremental. */
  static final int FULL_READ_EVERY = 30;
  /**
   * A store whose last answer was incremental is read this many times a poll interval (without a
   * live feed): a read of what changed is small, so a beat is seen within a quarter of the
   * interval (plus the read) instead of within a whole one. Rounds stay once an interval.
   */
  static final int READS_PER_POLL = 4;

  /**
   * One read of the store and the store's clock at that read: every agent when
   * {@code complete}; otherwise the agents changed and those forgotten since the cursor sent.
   *
   * @param next the cursor for the next incremental read, or null to keep the one sent
   */
  record Poll(List<Heartbeat> agents, List<String> forgotten, boolean complete,
      ChangeCursor next, Instant storeNow) {
    /** A full read: every agent. */
    Poll(List<Heartbeat> agents, Instant storeNow) {
      this(agents, List.of(), true, null, storeNow);
    }

    /** An incremental read's answer. */
    static Poll of(AgentChanges changes, Instant storeNow) {
      return new Poll(changes.changed(), changes.forgotten(), changes.complete(), changes.next(),
          storeNow);
    }
  }

  /** How the detector reads the store; each call returns at once and completes later. */
  interface Reads {
    /** Every agent ({@link HeartbeatStore#agents()}). */
    CompletableFuture<Poll> all();

    /** What changed since {@code cursor} ({@link HeartbeatStore#agentsChangedSince}). */
    CompletableFuture<Poll> since(ChangeCursor cursor);
  }

  private final DetectorConfig config;
  private final TimeSource time;
  private final String store;
  private final Reads reader;
  private final Consumer<Runnable> post;
  private final HeartbeatFeed feed;
  /** Runs a notice on the ticker thread, behind those waiting; may drop it when full. */
  private final Consumer<Runnable> notices;
  /** Whether a publish of fed beats' states is queued; ticker thread. */
  private boolean publishQueued;
  private final DetectorCore core;
  private final ChangeListeners listeners;
  private final long pollEvery;
  private final long blindAfter;
  private final Duration forgetAfter; // null: forgets nobody
  private final Function<List<String>, CompletableFuture<?>> forgetter;
  private boolean forgetting; // ticker thread only
  private volatile long forgetCalls;
  // ticker thread only
  private boolean started;
  private long nextRound;
  private long lastRound;
  private long lastSight;
  private boolean blind;
  private volatile boolean reading; // volatile for tests only: written on the ticker thread
  private long readSentAt;
  private long epoch;
  /** The agents forgotten lately, for reads sent before their forget ended; ticker only. */
  private final Forgotten forgotten = new Forgotten();
  private long forgottenWhenReadSent; // ticker thread only
  private ChangeCursor cursor = ChangeCursor.START; // ticker thread only
  private boolean incremental; // the last answer was not complete; ticker thread only
  private long sent; // reads sent; ticker thread only
  private volatile long fullReads;
  private volatile long rounds;
  private volatile long reads;
  private volatile long localPauses;

  /**
   * A detector on {@code ticker}: read answers through {@link Ticker#post}, fed beats through the
   * bounded {@link Ticker#offer}, listeners behind a bounded queue that counts its drops there.
   */
  DetectorImpl(DetectorConfig config, TimeSource time, String store,
      Reads reader, Ticker ticker, HeartbeatFeed feed,
      Duration forgetAfter, Function<List<String>, CompletableFuture<?>> forgetter) {
    this(config, time, store, reader, ticker::post, ticker::offer, feed,
        new ChangeListeners(store, ticker::dropped), forgetAfter, forgetter);
  }

  /**
   * A detector that reads with {@code reader}, runs completions and fed beats through
   * {@code post} (at once in tests), and tells {@code listeners}.
   */
  DetectorImpl(DetectorConfig config, TimeSource time, String store,
      Reads reader, Consumer<Runnable> post, HeartbeatFeed feed,
      ChangeListeners listeners) {
    this(config, time, store, reader, post, post::accept, feed, listeners, null, null);
  }

  private DetectorImpl(DetectorConfig config, TimeSource time, String store,
      Reads reader, Consumer<Runnable> post,
      Consumer<Runnable> notices, HeartbeatFeed feed, ChangeListeners listeners,
      Duration forgetAfter, Function<List<String>, CompletableFuture<?>> forgetter) {
    this.forgetAfter = forgetAfter;
    this.forgetter = forgetter;
    this.config = config;
    this.time = time;
    this.store = store;
    this.reader = reader;
    this.post = post;
    this.feed = feed;
    this.notices = notices;
    this.core = new DetectorCore(config, time);
    this.listeners = listeners;
    this.pollEvery = config.pollInterval().toNanos()
        * (feed == null ? 1 : DetectorConfig.FEED_POLL_FACTOR);
    this.blindAfter = pollEvery * BLIND_AFTER_POLLS;
    if (feed != null) {
      // a fed beat may be dropped when the ticker lags (counted): the polling reads it anyway
      feed.subscribe(beat -> notices.accept(() -> fed(beat)));
    }
  }

  /** One round, if due; returns when the next is due. Ticker thread. */
  long tick(long now) {
    if (!started) {
      started = true;
      nextRound = now;
      lastRound = now;
      lastSight = now;
      readSentAt = now - pollEvery;
    }
    if (now - nextRound < 0) {
      read(now); // an incremental read between rounds, when one is due
      return nextTick();
    }
    long late = now - nextRound;
    if (late > config.localPauseTolerance().toNanos()) {
      core.shift(late, now);
      localPauses++;
      LOG.warn("local pause {}, convictions deferred", seconds(late));
    } else if (now - lastSight > blindAfter) {
      core.shift(now - lastRound, now);
      if (!blind) {
        blind = true;
        LOG.warn("stall detector has not read {} for {}; convictions deferred until it can",
            store, seconds(now - lastSight));
      }
    } else {
      tell(core.evaluate(now));
    }
    publishQueued = false; // a dropped notice of fed beats cannot stop their publishing
    core.publish();
    read(now);
    rounds++;
    lastRound = now;
    nextRound = now + config.pollInterval().toNanos();
    return nextTick();
  }

  /** The next round, or the next read when it is due sooner. */
  private long nextTick() {
    long readDue = readSentAt + readEvery();
    return !reading && readDue - nextRound < 0 ? readDue : nextRound;
  }

  /** Between reads: a quarter poll while the store answers incrementally, else a poll. */
  private long readEvery() {
    return incremental && feed == null ? pollEvery / READS_PER_POLL : pollEvery;
  }

  private void read(long now) {
    long since = now - readSentAt;
    if (reading ? since < pollEvery * ABANDON_AFTER_POLLS : since < readEvery()) {
      return;
    }
    reading = true;
    readSentAt = now;
    forgottenWhenReadSent = forgotten.batches();
    long call = ++epoch;
    boolean full = ++sent % (FULL_READ_EVERY * (long) (readEvery() < pollEvery
        ? READS_PER_POLL : 1)) == 0;
    CompletableFuture<Poll> answer = full ? reader.all() : reader.since(cursor);
    answer.whenComplete((poll, error) -> post.accept(() -> read(call, poll, error)));
  }

  private void read(long call, Poll poll, Throwable error) {
    if (call != epoch) {
      return; // abandoned
    }
    reading = false;
    if (error != null) {
      LOG.debug("stall detector could not read {}: {}", store, error.getMessage());
      return;
    }
    long now = time.nanoTime();
    if (blind) {
      blind = false;
      LOG.info("stall detector reads {} again after {}", store, seconds(now - lastSight));
    }
    lastSight = now;
    if (poll.next() != null) {
      cursor = poll.next();
      incremental = !poll.complete();
    }
    Set<String> seen = new HashSet<>();
    // a read sent before a forget ended may still list what it forgot: not seen again
    Set<String> since = forgotten.since(forgottenWhenReadSent);
    for (Heartbeat beat : poll.agents()) {
      if (since.contains(beat.agentId())) {
        continue;
      }
      seen.add(beat.agentId());
      tell(core.observe(beat, now, poll.storeNow()));
    }
    if (poll.complete()) {
      core.retain(seen); // and publishes
      fullReads++;
    } else {
      // an agent forgotten and registered again since the cursor is in both: it stays
      List<String> gone = poll.forgotten().stream().filter(id -> !seen.contains(id)).toList();
      core.forget(gone); // and publishes
    }
    reads++;
    forget(now);
  }

  /** Forgets long-gone agents in the store: one call at a time, a bounded number per call. */
  private void forget(long now) {
    if (forgetter == null || forgetting) {
      return;
    }
    List<String> gone = core.forgettable(now, forgetAfter.toNanos(),
        HeartbeatsConfig.FORGET_PER_CALL);
    if (gone.isEmpty()) {
      return;
    }
    forgetting = true;
    forgetCalls++;
    forgetter.apply(gone).whenComplete((r, error) -> post.accept(() -> forgotten(gone, error)));
  }

  private void forgotten(List<String> gone, Throwable error) {
    forgetting = false;
    if (error != null) {
      LOG.debug("stall detector could not forget {} agent(s) in {}: {}", gone.size(), store,
          error.getMessage());
      return;
    }
    core.forget(gone);
    forgotten.add(gone);
    LOG.info("forgot {} agent(s) left or dead and silent for more than {}: {}{}", gone.size(),
        forgetAfter, gone.subList(0, Math.min(10, gone.size())), gone.size() > 10 ? "..." : "");
  }

  /**
   * A fed beat is judged at once; its state is published by one notice queued behind the beats
   * that wait already, so that a burst of fed beats copies the states once, not once a beat
   * (10,000 agents through the gRPC server spent most of its CPU in those copies). Should the
   * notice be dropped (the ticker's notices full), the next round publishes.
   */
  private void fed(Heartbeat beat) {
    tell(core.observe(beat, time.nanoTime(), null));
    if (!publishQueued) {
      publishQueued = true;
      notices.accept(this::publishFed);
    }
  }

  private void publishFed() {
    publishQueued = false;
    core.publish();
  }

  private void tell(List<AgentChange> changes) {
    listeners.tell(changes);
  }

  /** Rounds run (for tests). */
  long rounds() {
    return rounds;
  }

  /** Whether a read of the store was sent and has not ended (for tests). */
  boolean reading() {
    return reading;
  }

  /** Completed reads of the store (for tests). */
  long reads() {
    return reads;
  }

  /** Completed reads that read every agent (for tests). */
  long fullReads() {
    return fullReads;
  }

  /** Forget calls sent (for tests). */
  long forgetCalls() {
    return forgetCalls;
  }

  /** Rounds in which convictions were deferred because the detector's tick was late. */
  long localPauses() {
    return localPauses;
  }

  DetectorCore core() {
    return core;
  }

  void close() {
    if (feed != null) {
      try {
        feed.close();
      } catch (RuntimeException e) {
        LOG.warn("closing the feed of {} failed", store, e);
      }
    }
    listeners.shutdown();
  }

  @Override
  public DetectorConfig config() {
    return config;
  }

  @Override
  public Subscription onChange(Consumer<AgentChange> listener) {
    return listeners.add(dev.heartbeat.spi.Checks.notNull("listener", listener));
  }

  @Override
  public Optional<AgentState> state(String agentId) {
    return Optional.ofNullable(core.states().get(agentId));
  }

  @Override
  public Map<String, AgentState> states() {
    return core.states();
  }

  private static String seconds(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
  }
}
