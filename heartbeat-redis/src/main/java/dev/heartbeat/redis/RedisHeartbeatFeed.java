package dev.heartbeat.redis;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.HeartbeatFeed;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the beats of a {@link RedisStore} live from its feed stream and hands each
 * {@link Heartbeat} to a listener on a virtual thread of its own, in the order the store
 * recorded them.
 *
 * <p>Two kinds. {@link RedisStore#feed()} gives the stall detector's kind: it reads the stream's
 * tail from the moment it was opened, leaves nothing on the server, and may miss the
 * beats of an outage. It coalesces, so that a flood of beats cannot flood its listener (the
 * engine posts each call onto its ticker): it works in rounds at least {@value #ROUND_MILLIS} ms
 * apart, each reading what arrived since the last one (up to {@value #ROUND_READS} reads of
 * {@value TailReader#COUNT} entries), and calls the listener once per agent of the round with that
 * agent's newest beat ({@link #coalesced()} counts the beats passed over). A beat is handed over
 * at most {@value #ROUND_MILLIS} ms after it was stored while the feed keeps up; an agent that
 * floods the store costs at most {@code 1000 / }{@value #ROUND_MILLIS} calls a second. {@link #start} gives a named, resumable consumer of a consumer group:
 * delivery is at least once per group, an entry is acknowledged ({@code XACK}) after the listener
 * returned (or threw, which is logged); a consumer restarted under the same name first re-reads
 * its own pending entries, and any consumer claims ({@code XAUTOCLAIM}) entries another consumer
 * of its group left pending longer than the claim idle time, so the beats of a crashed monitor are
 * delivered by the next one. A new group starts at the newest entry: read the current state with
 * {@link RedisStore#agents()}.
 *
 * <p>Entries that cannot be read are reported through the store's problems and skipped.
 * Failures are retried with a pause until {@link #close()} (the group is created again if the
 * server lost it), with one WARN when they start and one INFO when they end. The feed uses a
 * connection of the store's client of its own and does not close the store: close the feed first.
 */
public final class RedisHeartbeatFeed implements HeartbeatFeed {
  /** By default, entries another consumer left pending longer than this are claimed. */
  public static final Duration DEFAULT_CLAIM_IDLE = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(RedisHeartbeatFeed.class);
  private static final Duration PAUSE = Duration.ofMillis(500);
  /** The shortest time between two rounds of a coalescing feed, in milliseconds. */
  static final int ROUND_MILLIS = 100;
  /** The most reads of one round of a coalescing feed. */
  static final int ROUND_READS = 10;
  private final java.util.concurrent.atomic.AtomicLong coalesced =
      new java.util.concurrent.atomic.AtomicLong();

  private final Context ctx;
  private final RedisLink.Conn conn;
  private final FeedReader reader;
  private final AtomicReference<Consumer<Heartbeat>> listener = new AtomicReference<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private volatile Thread thread;

  private RedisHeartbeatFeed(Context ctx, RedisLink.Conn conn, FeedReader reader) {
    this.ctx = ctx;
    this.conn = conn;
    this.reader = reader;
  }

  /** The tail kind, for {@link RedisStore#feed()}: beats from now on, delivered once subscribed. */
  static RedisHeartbeatFeed tail(Context ctx) {
    RedisLink.Conn conn = ctx.link().connect();
    try {
      return new RedisHeartbeatFeed(ctx, conn, new TailReader(ctx, conn));
    } catch (RuntimeException e) {
      conn.connection().close();
      throw e;
    }
  }

  /**
   * Starts following {@code store}'s beats as {@code consumer} of {@code group}, claiming entries
   * left pending by other consumers for {@link #DEFAULT_CLAIM_IDLE}.
   *
   * @param consumer this consumer's name in the group
   * @param group the consumer group, created when missing
   * @param listener the listener
   * @param store the store
   * @return the running feed; close it to stop
   * @throws IllegalArgumentException when an id is malformed, the listener is null or the store
   *     writes no feed ({@code feedLength(0)})
   * @throws dev.heartbeat.HeartbeatStoreException when the group cannot be created
   */
  public static RedisHeartbeatFeed start(RedisStore store, String group, String consumer,
      Consumer<Heartbeat> listener) {
    return start(store, group, consumer, DEFAULT_CLAIM_IDLE, listener);
  }

  /**
   * Starts following {@code store}'s beats as {@code consumer} of {@code group}, claiming entries
   * that another consumer of the group left pending longer than {@code claimIdle}.
   *
   * @param claimIdle how long an entry stays pending before this consumer claims it
   * @param consumer this consumer's name in the group
   * @param group the consumer group, created when missing
   * @param listener the listener
   * @param store the store
   * @return the running feed; close it to stop
   * @throws IllegalArgumentException when an id is malformed, the listener is null or the store
   *     writes no feed ({@code feedLength(0)})
   * @throws dev.heartbeat.HeartbeatStoreException when the group cannot be created
   */
  public static RedisHeartbeatFeed start(RedisStore store, String group, String consumer,
      Duration claimIdle, Consumer<Heartbeat> listener) {
    Checks.notNull("store", store);
    Checks.id("group", group);
    Checks.id("consumer", consumer);
    Checks.positive("claimIdle", claimIdle);
    Checks.notNull("listener", listener);
    if (store.feedLength() == 0) {
      throw new IllegalArgumentException("store writes no feed (feedLength 0): " + store.describe());
    }
    Context ctx = store.context();
    RedisLink.Conn conn = ctx.link().connect();
    GroupReader reader = new GroupReader(ctx, conn, group, consumer, claimIdle);
    try {
      reader.prepare();
    } catch (RuntimeException e) {
      conn.connection().close();
      throw e;
    }
    RedisHeartbeatFeed feed = new RedisHeartbeatFeed(ctx, conn, reader);
    feed.subscribe(listener);
    return feed;
  }

  /**
   * Starts delivering to {@code listener}; a feed has one listener.
   *
   * @throws IllegalStateException when it already has one or was closed
   */
  @Override
  public void subscribe(Consumer<Heartbeat> listener) {
    Checks.notNull("listener", listener);
    if (closed.get() || !this.listener.compareAndSet(null, listener)) {
      throw new IllegalStateException("feed " + reader.name() + " already has a listener or is closed");
    }
    thread = Thread.ofVirtual().name("heartbeat-feed-" + reader.name()).start(this::run);
  }

  private void run() {
    boolean failing = false;
    try {
      while (!closed.get()) {
        try {
          if (failing) {
            reader.prepare();
          }
          for (List<StreamMessage<String, String>> b = reader.backlog(); !b.isEmpty() && !closed.get();
              b = reader.backlog()) {
            deliver(b);
          }
          while (!closed.get()) {
            long round = System.nanoTime();
            List<StreamMessage<String, String>> entries = reader.next();
            if (failing) {
              LOG.info("{}: feed {} recovered", ctx.describe(), reader.name());
              failing = false;
            }
            if (reader.coalesces()) {
              deliverNewest(round(entries));
              pace(round);
            } else {
              deliver(entries);
            }
          }
        } catch (RuntimeException e) {
          if (!failing && !closed.get()) {
            LOG.warn("{}: feed {} failed, retrying: {}", ctx.describe(), reader.name(), e.toString());
          }
          failing = true;
          pause();
        }
      }
    } finally {
      stopped.complete(null);
    }
  }

  private void deliver(List<StreamMessage<String, String>> entries) {
    Consumer<Heartbeat> target = listener.get();
    for (StreamMessage<String, String> entry : entries) {
      if (entry.getBody() != null && !entry.getBody().isEmpty()) {
        try {
          target.accept(Feeds.heartbeat(entry.getBody()));
        } catch (Records.Unreadable e) {
          ctx.problems().report(ctx.keys().feed() + "#" + entry.getId(), e.getMessage());
        } catch (RuntimeException e) {
          LOG.warn("{}: feed listener of {} threw on {}", ctx.describe(), reader.name(), entry.getId(), e);
        }
      }
      reader.delivered(entry);
    }
  }

  /** The entries of one round: {@code first}, then what more reads bring, within the bound. */
  private List<StreamMessage<String, String>> round(List<StreamMessage<String, String>> first) {
    if (first.size() < TailReader.COUNT) {
      return first;
    }
    List<StreamMessage<String, String>> all = new java.util.ArrayList<>(first);
    for (int reads = 1; reads < ROUND_READS && !closed.get(); reads++) {
      List<StreamMessage<String, String>> more = reader.more();
      all.addAll(more);
      if (more.size() < TailReader.COUNT) {
        break;
      }
    }
    return all;
  }

  /** One call per agent of the round, with its newest beat, in the order of those beats. */
  private void deliverNewest(List<StreamMessage<String, String>> entries) {
    java.util.LinkedHashMap<String, Heartbeat> newest = new java.util.LinkedHashMap<>();
    long beats = 0;
    for (StreamMessage<String, String> entry : entries) {
      if (entry.getBody() != null && !entry.getBody().isEmpty()) {
        try {
          Heartbeat beat = Feeds.heartbeat(entry.getBody());
          newest.remove(beat.agentId());
          newest.put(beat.agentId(), beat);
          beats++;
        } catch (Records.Unreadable e) {
          ctx.problems().report(ctx.keys().feed() + "#" + entry.getId(), e.getMessage());
        }
      }
    }
    coalesced.addAndGet(beats - newest.size());
    Consumer<Heartbeat> target = listener.get();
    for (Heartbeat beat : newest.values()) {
      try {
        target.accept(beat);
      } catch (RuntimeException e) {
        LOG.warn("{}: feed listener of {} threw on a beat of {}", ctx.describe(), reader.name(),
            beat.agentId(), e);
      }
    }
  }

  /** Waits until {@value #ROUND_MILLIS} ms after the round began. */
  private void pace(long round) {
    long left = round + ROUND_MILLIS * 1_000_000L - System.nanoTime();
    if (left > 0 && !closed.get()) {
      try {
        Thread.sleep(Duration.ofNanos(left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closed.set(true);
      }
    }
  }

  /**
   * How many beats this feed passed over because a newer beat of the same agent came in the same
   * round; always 0 for a consumer group's feed, which delivers every entry.
   *
   * @return how many beats this feed passed over because a newer beat of the same agent came in the
   *     same round; always 0 for a consumer group's feed, which delivers every entry
   */
  public long coalesced() {
    return coalesced.get();
  }

  private void pause() {
    try {
      Thread.sleep(PAUSE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed.set(true);
    }
  }

  /** Stops following and closes the feed's connection; waits a bounded time for the thread. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      Thread running = thread;
      if (running != null) {
        try {
          stopped.get(GroupReader.BLOCK.plus(Duration.ofSeconds(5)).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          running.interrupt();
        } catch (ExecutionException | TimeoutException e) {
          running.interrupt();
        }
      }
      conn.connection().close();
    }
  }
}
