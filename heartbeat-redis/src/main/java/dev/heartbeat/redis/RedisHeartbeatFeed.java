package dev.heartbeat.redis;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.spi.Checks;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.models.stream.ClaimedMessages;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the beats of a {@link RedisStore} live, through a consumer group on the store's feed
 * stream, and hands each {@link Heartbeat} to a listener on a virtual thread of its own.
 *
 * <p>Delivery is at least once per group: an entry is acknowledged ({@code XACK}) after the
 * listener returned (or threw, which is logged). A consumer restarted under the same name first
 * re-reads its own pending entries; any consumer also claims ({@code XAUTOCLAIM}) entries that
 * another consumer of its group left pending longer than the claim idle time, so the beats of a
 * crashed monitor are delivered by the next one. A new group starts at the newest entry: read
 * the current state with {@link RedisStore#agents()}. Entries that cannot be read are reported
 * through the store's problems, acknowledged and skipped. Connection failures are retried with a
 * pause until {@link #close()}, with one WARN when they start and one INFO when they end. The
 * feed uses a connection of the store's client of its own and does not close the store: close
 * the feed first.
 */
public final class RedisHeartbeatFeed implements AutoCloseable {
  /** By default, entries another consumer left pending longer than this are claimed. */
  public static final Duration DEFAULT_CLAIM_IDLE = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(RedisHeartbeatFeed.class);
  private static final Duration BLOCK = Duration.ofMillis(500);
  private static final Duration PAUSE = Duration.ofMillis(500);
  private static final int COUNT = 100;

  private final Context ctx;
  private final String group;
  private final Consumer<String> consumer;
  private final java.util.function.Consumer<Heartbeat> listener;
  private final Duration claimIdle;
  private final RedisLink.Conn conn;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final Thread thread;

  private RedisHeartbeatFeed(RedisStore store, String group, String consumer, Duration claimIdle,
      java.util.function.Consumer<Heartbeat> listener) {
    this.ctx = store.context();
    this.claimIdle = claimIdle;
    this.group = group;
    this.consumer = Consumer.from(group, consumer);
    this.listener = listener;
    this.conn = ctx.link().connect();
    this.thread = Thread.ofVirtual().name("heartbeat-feed-" + group + "-" + consumer).unstarted(this::run);
  }

  /**
   * Starts following {@code store}'s beats as {@code consumer} of {@code group}, claiming entries
   * left pending by other consumers for {@link #DEFAULT_CLAIM_IDLE}.
   *
   * @throws IllegalArgumentException when an id is malformed, the listener is null or the store
   *     writes no feed ({@code feedLength(0)})
   * @throws dev.heartbeat.HeartbeatStoreException when the group cannot be created
   */
  public static RedisHeartbeatFeed start(RedisStore store, String group, String consumer,
      java.util.function.Consumer<Heartbeat> listener) {
    return start(store, group, consumer, DEFAULT_CLAIM_IDLE, listener);
  }

  /**
   * Starts following {@code store}'s beats as {@code consumer} of {@code group}, claiming entries
   * that another consumer of the group left pending longer than {@code claimIdle}.
   *
   * @throws IllegalArgumentException when an id is malformed, the listener is null or the store
   *     writes no feed ({@code feedLength(0)})
   * @throws dev.heartbeat.HeartbeatStoreException when the group cannot be created
   */
  public static RedisHeartbeatFeed start(RedisStore store, String group, String consumer,
      Duration claimIdle, java.util.function.Consumer<Heartbeat> listener) {
    Checks.notNull("store", store);
    Checks.positive("claimIdle", claimIdle);
    Checks.id("group", group);
    Checks.id("consumer", consumer);
    Checks.notNull("listener", listener);
    if (store.feedLength() == 0) {
      throw new IllegalArgumentException("store writes no feed (feedLength 0): " + store.describe());
    }
    RedisHeartbeatFeed feed = new RedisHeartbeatFeed(store, group, consumer, claimIdle, listener);
    try {
      feed.createGroup();
    } catch (RuntimeException e) {
      feed.conn.connection().close();
      throw e;
    }
    feed.thread.start();
    return feed;
  }

  private void createGroup() {
    try {
      ctx.link().await(conn.commands().xgroupCreate(StreamOffset.latest(ctx.keys().feed()), group,
          XGroupCreateArgs.Builder.mkstream()), "feed(" + group + ")");
    } catch (dev.heartbeat.HeartbeatStoreException e) {
      if (!(e.getCause() instanceof RedisBusyException)) {
        throw e;
      }
    }
  }

  private void run() {
    boolean failing = false;
    try {
      while (!closed.get()) {
        try {
          drain(StreamOffset.from(ctx.keys().feed(), "0"));
          claim();
          while (!closed.get()) {
            List<StreamMessage<String, String>> entries =
                read(StreamOffset.lastConsumed(ctx.keys().feed()), true);
            if (failing) {
              LOG.info("{}: feed {} recovered", ctx.describe(), group);
              failing = false;
            }
            deliver(entries);
          }
        } catch (RuntimeException e) {
          if (!failing && !closed.get()) {
            LOG.warn("{}: feed {} failed, retrying: {}", ctx.describe(), group, e.toString());
          }
          failing = true;
          pause();
        }
      }
    } finally {
      stopped.complete(null);
    }
  }

  private void drain(StreamOffset<String> pending) {
    List<StreamMessage<String, String>> batch;
    do {
      batch = read(pending, false);
      deliver(batch);
    } while (!batch.isEmpty() && !closed.get());
  }

  private void claim() {
    String start = "0-0";
    for (int round = 0; round < 1000 && !closed.get(); round++) {
      ClaimedMessages<String, String> claimed = ctx.link().await(conn.commands().xautoclaim(
          ctx.keys().feed(), XAutoClaimArgs.Builder.xautoclaim(consumer, claimIdle, start).count(COUNT)),
          "feed(" + group + ")");
      deliver(claimed.getMessages());
      start = claimed.getId();
      if ("0-0".equals(start)) {
        return;
      }
    }
  }

  private List<StreamMessage<String, String>> read(StreamOffset<String> offset, boolean block) {
    XReadArgs args = XReadArgs.Builder.count(COUNT);
    if (block) {
      args.block(BLOCK);
    }
    return ctx.link().await(conn.commands().xreadgroup(consumer, args, offset), "feed(" + group + ")");
  }

  private void deliver(List<StreamMessage<String, String>> entries) {
    for (StreamMessage<String, String> entry : entries) {
      if (entry.getBody() == null || entry.getBody().isEmpty()) {
        ack(entry);
        continue;
      }
      try {
        listener.accept(Feeds.heartbeat(entry.getBody()));
      } catch (Records.Unreadable e) {
        ctx.problems().report(ctx.keys().feed() + "#" + entry.getId(), e.getMessage());
      } catch (RuntimeException e) {
        LOG.warn("{}: feed listener of {} threw on {}", ctx.describe(), group, entry.getId(), e);
      }
      ack(entry);
    }
  }

  private void ack(StreamMessage<String, String> entry) {
    ctx.link().await(conn.commands().xack(ctx.keys().feed(), group, entry.getId()), "feed(" + group + ")");
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
      try {
        stopped.get(BLOCK.plus(Duration.ofSeconds(5)).toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        thread.interrupt();
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        thread.interrupt();
      }
      conn.connection().close();
    }
  }
}
