package dev.heartbeat.redis;

import dev.heartbeat.spi.Checks;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Builds {@link RedisStore}s: {@link RedisStore#builder(String)} and its overloads for a client
 * the caller owns. Every setting has a default and is checked when set; {@link #build} connects,
 * checks the server's configuration and, with {@link #freshPrefixWithoutQuarantine}, that the
 * prefix is unused. Not thread-safe: one builder per thread.
 */
public final class RedisStoreBuilder {
  private final String uri;
  private final AbstractRedisClient client;
  private String prefix = RedisStore.DEFAULT_PREFIX;
  private int historyLimit = RedisStore.DEFAULT_HISTORY_LIMIT;
  private Duration maxLeaseTtl = RedisStore.DEFAULT_MAX_LEASE_TTL;
  private Duration commandTimeout = RedisStore.DEFAULT_COMMAND_TIMEOUT;
  private int feedLength = RedisStore.DEFAULT_FEED_LENGTH;
  private Supplier<Duration> clockOffset = () -> Duration.ZERO;
  private Supplier<Instant> pinnedClock;
  private int maxTasks = RedisStore.DEFAULT_MAX_TASKS;
  private int taskEvents = RedisStore.DEFAULT_TASK_EVENTS;
  private boolean quarantine = true;
  private boolean fresh;
  private boolean taskSignals = true;
  private Replicas replicas = Replicas.NONE;

  RedisStoreBuilder(String uri, AbstractRedisClient client) {
    this.uri = uri == null ? null : StoreSettings.checkUri(uri);
    this.client = client == null && uri == null ? Checks.notNull("client", client) : client;
  }

  /**
   * The prefix of every key (default {@value RedisStore#DEFAULT_PREFIX}): stores with different
   * prefixes share nothing.
   *
   * @param prefix the prefix
   * @return this builder
   * @throws IllegalArgumentException when blank, longer than 64 characters, or holding braces
   *     or control characters
   */
  public RedisStoreBuilder keyPrefix(String prefix) {
    this.prefix = StoreSettings.checkPrefix(prefix);
    return this;
  }

  /** The key prefix from a URI's {@code prefix} parameter, named so in an error. */
  RedisStoreBuilder uriPrefix(String prefix) {
    this.prefix = StoreSettings.checkPrefix("uri parameter prefix", prefix);
    return this;
  }

  /**
   * How many beats and events are kept per agent (default
   * {@value RedisStore#DEFAULT_HISTORY_LIMIT}).
   *
   * @param limit at least 1
   * @return this builder
   * @throws IllegalArgumentException naming the parameter and the value when below 1
   */
  public RedisStoreBuilder historyLimit(int limit) {
    this.historyLimit = (int) Checks.atLeast("historyLimit", limit, 1);
    return this;
  }

  /**
   * The longest TTL a lease may have (default 60 s); also the shortest quarantine this store
   * starts after a data loss, a restart or a failover of the server, during which nothing is
   * acquired (longer when a longer TTL was granted; see {@link RedisStore}). Give every process
   * that shares a prefix the same value.
   *
   * @param ttl positive
   * @return this builder
   * @throws IllegalArgumentException naming the parameter and the value when not positive
   */
  public RedisStoreBuilder maxLeaseTtl(Duration ttl) {
    this.maxLeaseTtl = Checks.positive("maxLeaseTtl", ttl);
    return this;
  }

  /**
   * The bound on every call (default 5 s); a call without an answer by then fails.
   *
   * @param timeout positive
   * @return this builder
   * @throws IllegalArgumentException naming the parameter and the value when not positive
   */
  public RedisStoreBuilder commandTimeout(Duration timeout) {
    this.commandTimeout = Checks.positive("commandTimeout", timeout);
    return this;
  }

  /**
   * The approximate length of the feed stream that {@link RedisHeartbeatFeed} follows
   * (default {@value RedisStore#DEFAULT_FEED_LENGTH}); 0 writes no feed.
   *
   * @param length at least 0
   * @return this builder
   * @throws IllegalArgumentException naming the parameter and the value when negative
   */
  public RedisStoreBuilder feedLength(int length) {
    this.feedLength = (int) Checks.atLeast("feedLength", length, 0);
    return this;
  }

  /**
   * Makes every lease write count only once at least {@code replicas} replicas acknowledged
   * it: after each lease script the store sends Redis {@code WAIT replicas timeout} on the same
   * connection, in the same round trip (pipelined; a batch of {@link RedisStore#renewAll} gets
   * one {@code WAIT} after its last script). A {@code tryAcquire}, {@code renew} or
   * {@code renewAll} that fewer acknowledged within {@code timeout} throws a
   * {@link dev.heartbeat.HeartbeatStoreException} saying "acknowledged by N of M replicas
   * within T"; the engine treats it as not acquired or not renewed (the holder keeps its
   * previous deadline and steps down when it passes). An acquisition applied on the primary
   * but not acknowledged is given back at once (see {@link RedisStore}). A {@code release}
   * waits too but a shortfall is not an error. Single lease writes then go through a connection
   * of their own, so that a {@code WAIT} blocking for its timeout never holds up beats or
   * reads; while replicas lag, lease writes of the process wait their turn on it. Off by
   * default (no {@code WAIT}, no extra connection). See "What is guaranteed" in
   * {@link RedisStore} for what this does and does not ensure.
   *
   * <p>Single server only: a WAIT must reach the node connection that ran the script, which a
   * cluster connection does not promise, so a builder for a {@link RedisClusterClient}
   * rejects it.
   *
   * @param replicas how many replicas must acknowledge, at least 1
   * @param timeout how long each {@code WAIT} waits, at least 1 ms and shorter than the
   *     command timeout (checked by {@link #build})
   * @return this builder
   * @throws IllegalArgumentException naming the parameter and the value when out of range
   * @throws IllegalStateException on a builder for a Redis Cluster client
   */
  public RedisStoreBuilder waitForReplicas(int replicas, Duration timeout) {
    Replicas checked = Replicas.of(replicas, timeout);
    if (client instanceof RedisClusterClient) {
      throw new IllegalStateException("waitForReplicas is not supported on a Redis Cluster"
          + " (WAIT must reach the node that ran each script); build this store without it");
    }
    this.replicas = checked;
    return this;
  }

  /**
   * Whether the task scripts signal a queue that may have a task, so that idle workers claim at
   * once instead of at their next poll (default true): see "Task signals" in
   * {@link RedisStore}. Off, {@code tasks().signals()} is empty, the scripts publish nothing and
   * the store opens no pub/sub connection; workers poll. Turn it off for a server that refuses
   * {@code SSUBSCRIBE} (before Redis 7, or an ACL without the channel).
   *
   * @param on whether to signal
   * @return this builder
   */
  public RedisStoreBuilder taskSignals(boolean on) {
    this.taskSignals = on;
    return this;
  }

  /** For tests: an offset added to the server's clock at every operation. */
  RedisStoreBuilder clockOffset(Supplier<Duration> offset) {
    this.clockOffset = Checks.notNull("clockOffset", offset);
    return this;
  }

  /**
   * For tests whose kit needs a store clock that stands still between calls (the task kit
   * compares instants of different calls exactly): every script takes this instant as its now
   * instead of the server's {@code TIME} plus the offset.
   */
  RedisStoreBuilder pinnedClock(Supplier<Instant> clock) {
    this.pinnedClock = Checks.notNull("pinnedClock", clock);
    return this;
  }

  /** For tests of the bound: the approximate length of each queue's event stream. */
  RedisStoreBuilder taskEvents(int length) {
    this.taskEvents = (int) Checks.atLeast("taskEvents", length, 1);
    return this;
  }

  /** For tests of the bound: the most tasks one queue holds. */
  RedisStoreBuilder maxTasks(int max) {
    this.maxTasks = (int) Checks.atLeast("maxTasks", max, 1);
    return this;
  }

  /**
   * For tests and fresh deployments: the first start elects at once instead of waiting out
   * the quarantine of {@link #maxLeaseTtl} that a missing epoch marker starts. Accepted only
   * when the prefix has no key at all on the server: {@link #build} then creates the epoch
   * marker (in a cluster, one per slot: 16,384 small writes) with its quarantine already over.
   * Every later loss, restart or failover quarantines as usual.
   *
   * <p>Use it only on a prefix you know was never used, such as a random one per test: after
   * a total loss of the data the prefix has no key either, and this option would then let a new
   * holder in while a holder of the lost data may still act. {@link #build} cannot tell the two
   * apart; it only refuses a prefix that has keys: {@link #build} then throws an
   * {@link IllegalStateException} naming the prefix.
   *
   * @return this builder
   */
  public RedisStoreBuilder freshPrefixWithoutQuarantine() {
    this.fresh = true;
    return this;
  }

  /**
   * For the kit's tests, which check contracts, not loss handling: this store starts no
   * quarantine at all, not even after a loss (users have {@link #freshPrefixWithoutQuarantine}).
   */
  RedisStoreBuilder trustEmptyServer() {
    this.quarantine = false;
    return this;
  }

  /**
   * Connects and builds the store.
   *
   * @return the store, open; close it when done
   * @throws IllegalStateException when the {@link #waitForReplicas} timeout is not shorter
   *     than the command timeout (every WAIT would be cut off before it answers), or with
   *     {@link #freshPrefixWithoutQuarantine} when the prefix has keys
   * @throws dev.heartbeat.HeartbeatStoreException when Redis cannot be reached
   */
  public RedisStore build() {
    return open(false);
  }

  /**
   * Connects and builds a store that must already exist, writing nothing on the way (for
   * {@link RedisStoreProvider#openExisting}).
   *
   * @throws dev.heartbeat.StoreNotFoundException when no key of the prefix exists
   */
  RedisStore buildExisting() {
    return open(true);
  }

  private RedisStore open(boolean existing) {
    if (replicas.waiting() && replicas.timeout().compareTo(commandTimeout) >= 0) {
      throw new IllegalStateException("waitForReplicas timeout " + replicas.timeout()
          + " must be shorter than commandTimeout " + commandTimeout);
    }
    StoreSettings settings = new StoreSettings(prefix, historyLimit, maxLeaseTtl,
        commandTimeout, feedLength, clockOffset, pinnedClock, quarantine, replicas, maxTasks,
        taskEvents, taskSignals);
    RedisLink link = settings.connect(uri, client);
    List<String> warnings;
    try {
      warnings = ServerCheck.run(link);
    } catch (RuntimeException e) {
      link.close();
      throw e;
    }
    RedisStore store = new RedisStore(link, settings, warnings);
    try {
      if (existing) {
        PrefixKeys.requireUsed(store.context());
      } else if (fresh) {
        PrefixKeys.startFresh(store.context());
      }
      return store;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }
}
