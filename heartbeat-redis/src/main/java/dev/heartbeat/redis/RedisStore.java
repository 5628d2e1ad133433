package dev.heartbeat.redis;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.Lease;
import dev.heartbeat.ProgressEvent;
import dev.heartbeat.spi.StoreProblems;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.HeartbeatFeed;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.LeaseRenewal;
import dev.heartbeat.spi.Retention;
import dev.heartbeat.spi.StoreProblem;
import dev.heartbeat.spi.TaskStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis store ({@code redis://host:port[/db]}, {@code rediss://…}) on Lettuce, for a single
 * server or a Redis Cluster. Built with {@link #builder(String)}, or from a {@link RedisClient}
 * or {@link RedisClusterClient} the caller owns (and closes). One thread-safe connection is
 * shared by every call of the process, plus one for pipelined batches; the store is
 * thread-safe.
 *
 * <h2>What is guaranteed</h2>
 * <ul>
 *   <li>Every lease operation is one Lua script: holder, token and expiry are compared and the
 *       lease written in one atomic step. Expiry is judged by the server's {@code TIME}, never by
 *       the client's clock.</li>
 *   <li>Every key of one lease or one agent shares a hash tag, so each script touches one
 *       Cluster slot. {@link #renewAll} sends one script call per slot (on a single server, per
 *       500 leases) that renews its leases in order, {@link #recordAll} one script per beat, all
 *       in one flush (on a cluster, pipelined as issued); a cluster connection routes each call
 *       to its slot's node.</li>
 *   <li>A beat (latest state, history entry, progress event when new, feed entry on a single
 *       server) is one atomic script. History streams are trimmed approximately to the history
 *       limit and read back clipped to it.</li>
 *   <li><b>Fencing tokens.</b> Each token is the greater of the previous token of that name
 *       plus one and the server's {@code TIME} in microseconds.
 *       The counter lives in a hash that never expires. Tokens never go back, even when the
 *       counter is lost (a non-persistent server restarted) or is an older copy (a failover to a
 *       replica that missed the last writes), as long as the server clock that issues the next
 *       token is not behind the one that issued the last (same machine: does not step back; after
 *       a failover: clocks in sync). A counter can only run ahead of the clock by issuing more
 *       than one token per microsecond, which one Redis cannot.</li>
 *   <li><b>Data loss, restarts and two holders.</b> An epoch marker (one per store on a single
 *       server, one per slot in a cluster, in the slot of the leases it guards) records when this
 *       copy of the data began, the {@code run_id} of the server process that wrote it, and the
 *       longest lease or claim TTL granted under it. Every lease script and task claim reads
 *       it; one that finds it missing (the data was lost, an eviction) or written by another
 *       server process (a
 *       restart, which may have loaded an RDB snapshot or an AOF older than the last writes; a
 *       failover to a replica that may have missed them) starts a quarantine before it grants
 *       anything: no lease is acquired until every holder of a lost write, whose renewals now
 *       fail, has passed its deadline and stepped down. Renewals of leases that survived go on.
 *       The quarantine lasts the longest TTL granted under the marker (kept over a restart), or
 *       this store's bound when that is longer: {@link RedisStoreBuilder#maxLeaseTtl}, or the
 *       longest TTL the scripts ever told this store was granted (what a total loss of the
 *       marker cannot take away from a process that was running); a caller with a longer bound
 *       lengthens a quarantine still running. {@code tryAcquire} and {@code renew} reject a TTL
 *       above {@code maxLeaseTtl}. A first start cannot be told from a loss, so it quarantines
 *       too (see {@link RedisStoreBuilder#freshPrefixWithoutQuarantine} for tests). Transition
 *       counts restart at 1 after a loss. Processes that start after a total loss know no bound
 *       but their own {@code maxLeaseTtl}: give every process of one prefix the same one. The
 *       server's {@code run_id} comes from {@code INFO}, which scripts must be allowed to call
 *       (checked when the store opens).</li>
 *   <li><b>The server's configuration</b>, checked when the store opens (with
 *       {@code CONFIG GET}, writing nothing): an {@code allkeys-*} eviction policy is refused (it
 *       may evict a lease and keep the marker); persistence that loses writes on a crash (RDB
 *       snapshots only, {@code appendfsync no}, none at all) is logged at WARN with the fix, once
 *       per server process; a server whose {@code CONFIG} is disabled (managed Redis) gets a
 *       WARN saying what to check by hand.</li>
 *   <li><b>Failover to a replica</b> (Sentinel, a managed Redis with replicas), with
 *       {@link RedisStoreBuilder#waitForReplicas waitForReplicas(N, timeout)}: every acquisition
 *       and renewal the holder acts on was acknowledged by at least N replicas (Redis {@code WAIT}
 *       after the script, on the same connection), so a failover to one of those replicas keeps
 *       it: the promoted replica holds the lease with the same token and at least the expiry
 *       the holder was told, and nobody else acquires it before then. An acquisition or renewal
 *       fewer acknowledged fails (the holder keeps its previous deadline); an acquisition
 *       applied on the primary but not acknowledged is given back at once (compare-and-delete on
 *       its token), since its holder never learns it. Not guaranteed: {@code WAIT} is not
 *       consensus. A failover to a replica that was not among the acknowledging ones (with N
 *       below the number of replicas, or a replica that joined later) can still lose the latest
 *       writes, and nothing stops a failover from picking it; with N equal to the number of
 *       replicas, every replica had each write. A write that failed the check may still be on
 *       some replicas (harmless: its holder does not act on it, others wait for it to expire).
 *       Cost: one {@code WAIT} in the same round trip, which answers once the replicas
 *       acknowledged (about one round trip to the slowest of the N); while they lag, each lease
 *       write waits up to the timeout. Single server only (a cluster builder rejects it). Every
 *       failover, with or without this, is a change of server process and starts a quarantine of
 *       new acquisitions (above): what {@code WAIT} adds is that the holder keeps its lease
 *       across it.</li>
 *   <li><b>Tasks</b> ({@link #tasks()}): every task operation is one Lua script on the server's
 *       {@code TIME}; every key of one queue shares the hash tag <code>{prefix:tasks:QUEUE}</code>
 *       (one Cluster slot per queue). A hash per task keeps its spec, state, claim and the last
 *       {@value dev.heartbeat.TaskView#MAX_ATTEMPTS_KEPT} attempts; a ready set orders INBOX
 *       tasks by due time (then creation, then id), a claims set orders IN_PROGRESS tasks by
 *       expiry, so a claim takes the oldest claimable first and settles expired claims on the
 *       way. Claim tokens are, like lease tokens, the greater of the task's last token plus one
 *       and the server's time in microseconds; the last token of a pruned id stays reserved
 *       (beyond a million per queue the eldest fold into a per-queue floor), so a re-submitted
 *       id's tokens still grow. {@code renewClaims} sends one script per queue (per 500 claims),
 *       all in one flush. Each queue keeps an event stream (submitted, claimed, failed,
 *       released, lost, blocked, cancelled, done, ...) trimmed to about 10,000 entries. A
 *       queue holds at most a million tasks; {@code submit} beyond that fails. Replica
 *       acknowledgement ({@link RedisStoreBuilder#waitForReplicas}) applies to lease writes
 *       only. Claim TTLs are bounded by {@link RedisStoreBuilder#maxLeaseTtl}.
 *       <br><b>A restart with data loss</b>: tasks written after the last persisted write are
 *       gone (a non-persistent server loses every task; an older snapshot brings back older
 *       states). Their workers learn it at their next renewal or end, which is refused, and
 *       fence themselves. Since the epoch marker shows the loss, no task is claimed during the
 *       quarantine (as no lease is acquired), so a worker still running a task whose claim was
 *       lost has stopped before another worker claims it; renewals of claims that survived go
 *       on. Tokens still grow (the clock, not the lost floor, is their lower bound). Submitted
 *       tasks that were lost must be submitted again: {@code submit} is idempotent by id, so
 *       re-submitting every task the application still wants is safe.</li>
 *   <li><b>Task signals</b> ({@code tasks().signals()}, on by default, see
 *       {@link RedisStoreBuilder#taskSignals}): sharded pub/sub, Redis 7. The scripts of a new
 *       task, a {@code retry} and an {@code end} back to INBOX publish ({@code SPUBLISH}) to the
 *       queue's channel <code>{prefix:tasks:QUEUE}:signal</code> inside the script, so a signal
 *       leaves with its write, never before it; on a cluster the channel lives on the queue's
 *       shard. The store listens on one pub/sub connection of its client (on a cluster,
 *       Lettuce's cluster pub/sub connection, one node connection per shard it needs), opened at
 *       the first subscription; a subscription returns once the server confirmed it, so every
 *       later write of its queue is heard while the connection holds, and a queue's channel is
 *       left when its last listener leaves. Listeners run on Lettuce's event loop and must not
 *       block. Not guaranteed: while the connection drops, signals are lost; once Lettuce has
 *       made it again and subscribed again, every subscribed queue is signalled once (so a
 *       signal may also come twice), and workers poll all along. The loss and the recovery are
 *       logged once each. Pub/sub is not per database: stores of one prefix in two databases of
 *       one server hear each other's signals (harmless: a worker claims and finds nothing). A
 *       server before Redis 7 still takes every write (the publish fails quietly inside the
 *       script), but cannot be subscribed to: workers then poll.</li>
 *   <li>The lease and agent registries (sets that {@link #leases()} and {@link #agents()}
 *       read). On a single server the scripts keep them: an acquisition adds the name, a release
 *       removes it with the lease (the fencing counter stays, so tokens never go back), a
 *       registration adds the agent and {@link #forget} removes it, each atomically with the
 *       record. In a cluster they live in slots of their own: an acquisition adds the name before
 *       its script and released names stay listed (removing one could race a new acquisition
 *       and hide a held lease); a registration adds the agent before and after its script and
 *       {@code forget} removes it before its own. Either way a registry may name a record that
 *       does not exist (skipped), and never misses one that does.</li>
 * </ul>
 *
 * <p>Failures (unreachable, timed out after the command timeout) throw
 * {@link dev.heartbeat.HeartbeatStoreException}; a store built from a URI reconnects by itself
 * and rejects commands while disconnected instead of queueing them.
 */
public final class RedisStore implements HeartbeatStore {
  /** The default key prefix. */
  public static final String DEFAULT_PREFIX = "heartbeat";
  /** The default history kept per agent. */
  public static final int DEFAULT_HISTORY_LIMIT = 1000;
  /** The default longest lease TTL, which is also the shortest quarantine after a data loss. */
  public static final Duration DEFAULT_MAX_LEASE_TTL = Duration.ofSeconds(60);
  /** The default bound on every call. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);
  /** The default approximate length of the feed stream. */
  public static final int DEFAULT_FEED_LENGTH = 10_000;
  /** The most tasks one queue holds (and pruned ids whose tokens it keeps reserved). */
  static final int DEFAULT_MAX_TASKS = 1_000_000;
  /** The approximate length of each task queue's event stream. */
  static final int DEFAULT_TASK_EVENTS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);

  private final Context ctx;
  private final AgentOps agents;
  private final LeaseOps leases;
  private final TaskOps tasks;
  private final Optional<RedisSignals> signals;
  private final int feedLength;
  private final Duration maxLeaseTtl;
  private final List<String> serverWarnings;
  private final AtomicBoolean closed = new AtomicBoolean();

  RedisStore(RedisLink link, StoreSettings settings, List<String> serverWarnings) {
    this.serverWarnings = List.copyOf(serverWarnings);
    Keys keys = new Keys(settings.prefix(), link.cluster());
    this.ctx = new Context(link, keys, new StoreProblems(link.describe(), InstantSource.system()),
        link.describe(), settings.clockOffset(), settings.pinnedClock());
    this.feedLength = settings.feedLength();
    this.maxLeaseTtl = settings.maxLeaseTtl();
    this.agents = new AgentOps(ctx, settings.historyLimit(), settings.feedLength());
    this.leases = new LeaseOps(ctx, settings.maxLeaseTtl(), settings.quarantine());
    this.signals = settings.taskSignals() ? Optional.of(new RedisSignals(link, keys))
        : Optional.empty();
    this.tasks = new TaskOps(ctx, settings.maxTasks(), settings.taskEvents(),
        settings.maxLeaseTtl(), leases::bound, signals);
    LOG.info("{}: history limit {}, max lease TTL {}, command timeout {}, feed length {},"
        + " lease writes acknowledged by {}", ctx.describe(), settings.historyLimit(),
        settings.maxLeaseTtl(), settings.commandTimeout(), settings.feedLength(),
        settings.replicas().waiting() ? settings.replicas().count() + " replicas within "
            + settings.replicas().timeoutMillis() + " ms" : "the primary only");
  }

  /**
   * A builder for a store at {@code uri} ({@code redis://[:password@]host[:port][/db]} or
   * {@code rediss://…}) on a client of its own, which reconnects by itself and rejects commands
   * while disconnected.
   *
   * @param uri the server's URI
   * @return a builder with every setting at its default
   * @throws IllegalArgumentException naming the URI when it is not such a URI
   */
  public static RedisStoreBuilder builder(String uri) {
    return new RedisStoreBuilder(uri, null);
  }

  /**
   * A builder for a store on a client the caller owns and closes. Every call is still bounded by
   * the store's command timeout; give the client
   * {@code ClientOptions.DisconnectedBehavior.REJECT_COMMANDS} so that calls made while it is
   * disconnected fail at once instead of running late after it reconnects.
   *
   * @param client the caller's client, not null
   * @return a builder with every setting at its default
   * @throws IllegalArgumentException when the client is null
   */
  public static RedisStoreBuilder builder(RedisClient client) {
    return new RedisStoreBuilder(null, client);
  }

  /**
   * A builder for a store on a Redis Cluster client the caller owns and closes (see above).
   *
   * @param client the caller's cluster client, not null
   * @return a builder with every setting at its default
   * @throws IllegalArgumentException when the client is null
   */
  public static RedisStoreBuilder builder(RedisClusterClient client) {
    return new RedisStoreBuilder(null, client);
  }

  Context context() {
    return ctx;
  }

  /** What {@link ServerCheck} warned about when the store opened. */
  List<String> serverWarnings() {
    return serverWarnings;
  }

  int feedLength() {
    return feedLength;
  }

  @Override
  public String describe() {
    return ctx.describe();
  }

  @Override
  public Heartbeat register(Beat first) {
    return agents.register(first);
  }

  @Override
  public Optional<Heartbeat> record(Beat beat) {
    return agents.record(beat);
  }

  @Override
  public List<Optional<Heartbeat>> recordAll(List<Beat> beats) {
    return beats.isEmpty() ? List.of() : agents.recordAll(beats);
  }

  /**
   * A live feed of the beats recorded from now on, read from the tail of the feed stream on a
   * connection of its own; it coalesces, handing over the newest beat of each agent per round of
   * at least 100 ms, so that a flood of beats cannot flood its listener (see
   * {@link RedisHeartbeatFeed}); empty when the store writes no feed.
   * For a named, resumable consumer use {@link RedisHeartbeatFeed#start}.
   *
   * @throws dev.heartbeat.HeartbeatStoreException when Redis cannot be reached
   */
  @Override
  public Optional<HeartbeatFeed> feed() {
    return feedLength == 0 ? Optional.empty() : Optional.of(RedisHeartbeatFeed.tail(ctx));
  }

  @Override
  public Optional<Heartbeat> agent(String agentId) {
    return agents.agent(agentId);
  }

  @Override
  public List<Heartbeat> agents() {
    return agents.agents();
  }

  @Override
  public List<Heartbeat> history(String agentId, int limit) {
    return agents.history(agentId, limit);
  }

  @Override
  public List<ProgressEvent> events(String agentId, int limit) {
    return agents.events(agentId, limit);
  }

  @Override
  public long prune(Retention retention) {
    dev.heartbeat.spi.Checks.notNull("retention", retention);
    Instant cutoff = now().minus(retention.maxAge());
    return agents.prune(retention,
        java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, cutoff));
  }

  /**
   * On a single server, the agents moved in the change index since the cursor (every beat and
   * forget script moves its agent there, numbered in the order scripts run); in a cluster,
   * where that index would sit in another slot, every agent.
   */
  @Override
  public dev.heartbeat.spi.AgentChanges agentsChangedSince(dev.heartbeat.spi.ChangeCursor cursor) {
    return agents.changedSince(dev.heartbeat.spi.Checks.notNull("cursor", cursor));
  }

  @Override
  public boolean forget(String agentId) {
    return agents.forget(agentId);
  }

  /** The builder's {@link RedisStoreBuilder#maxLeaseTtl}: the longest TTL this store grants. */
  @Override
  public Optional<Duration> maxLeaseTtl() {
    return Optional.of(maxLeaseTtl);
  }

  @Override
  public Optional<Lease> tryAcquire(String name, String holder, Duration ttl) {
    return leases.tryAcquire(name, holder, ttl);
  }

  @Override
  public Optional<Lease> renew(String name, String holder, long token, Duration ttl) {
    return leases.renew(name, holder, token, ttl);
  }

  @Override
  public List<Optional<Lease>> renewAll(List<LeaseRenewal> renewals) {
    return leases.renewAll(renewals);
  }

  @Override
  public boolean release(String name, String holder, long token) {
    return leases.release(name, holder, token);
  }

  @Override
  public Optional<Lease> lease(String name) {
    return leases.lease(name);
  }

  @Override
  public List<Lease> leases() {
    return leases.leases();
  }

  /**
   * The task queues of this store, on {@link TaskOps}: each queue's keys share the hash tag
   * <code>{prefix:tasks:QUEUE}</code>, so a queue lives in one Cluster slot; see the class
   * comment for what a restart or a loss of the data does to tasks.
   */
  @Override
  public Optional<TaskStore> tasks() {
    return Optional.of(tasks);
  }

  @Override
  public Instant now() {
    if (ctx.pinned() != null) {
      return Records.instant(ctx.pinnedMicros());
    }
    List<String> time = ctx.link().await(ctx.link().commands().time(), "now()");
    long micros = Long.parseLong(time.get(0)) * 1_000_000L + Long.parseLong(time.get(1));
    return Records.instant(micros).plusMillis(ctx.offset().get().toMillis());
  }

  @Override
  public List<StoreProblem> problems() {
    return ctx.problems().list();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        signals.ifPresent(RedisSignals::close);
      } finally {
        ctx.link().close();
      }
    }
  }
}
