package dev.heartbeat.micrometer;

import dev.heartbeat.AgentState;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.Leadership;
import dev.heartbeat.TaskQueue;
import dev.heartbeat.TaskWorker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micrometer meters of one {@link Heartbeats}: its ticker, its store calls (a latency histogram
 * by operation and result, {@code heartbeat.store.calls}, fed by
 * {@link Heartbeats#onStoreCall}), the agents per
 * detector state, and the agents, elections, task workers and task queues of this process that
 * the {@linkplain #builder(Heartbeats) builder} names, and the changes of hands of the leases it
 * watches. Names are lowercase and dotted under
 * {@code heartbeat.}; tags are the handle's identity and a small fixed set of values (result,
 * state, outcome). Gauges read in-memory values; what needs a store read (task counts, the
 * opt-in per-agent series) is read by one background thread every
 * {@linkplain HeartbeatMetricsBuilder#refreshEvery refresh interval} and cached, so that a scrape
 * never waits on the store.
 *
 * <pre>{@code
 * try (HeartbeatMetrics metrics = HeartbeatMetrics.builder(hb).agent(agent).build()) {
 *   metrics.bindTo(registry);
 *   ...
 * }
 * }</pre>
 *
 * <p>{@link #close()} removes every meter this binder registered and stops its thread. The
 * {@code Heartbeats} API has no close hook: call {@code close()} before or with the
 * {@code Heartbeats}. A binder whose {@code Heartbeats} was closed notices it at its next
 * refresh (the detector refuses a closed engine) and closes itself.
 */
public final class HeartbeatMetrics implements MeterBinder, AutoCloseable {
  /** At most this many handles of each kind (agents, elections, workers, queues). */
  public static final int MAX_HANDLES = 1000;
  /** The largest cap of the opt-in per-agent series. */
  public static final int MAX_PER_AGENT = 10_000;
  /** How often store-read values are refreshed by default. */
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(10);
  /**
   * The default histogram buckets of {@code heartbeat.store.calls}: 1 ms to 10 s, about three to
   * a decade, so that a quantile of the store latency can be read against a lease's renew
   * deadline or the call timeout.
   */
  public static final List<Duration> DEFAULT_LATENCY_BUCKETS = List.of(Duration.ofMillis(1),
      Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
      Duration.ofSeconds(5), Duration.ofSeconds(10));

  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatMetrics.class);

  private final Heartbeats hb;
  private final List<HeartbeatAgent> agents;
  private final List<Leadership> leaderships;
  private final List<TaskWorker> workers;
  private final List<QueueMeters> queues;
  private final List<LeaseWatchMeters> leaseWatches;
  private final int perAgentCap;
  private final Duration refreshEvery;
  private final Duration[] latencyBuckets;
  private final ReentrantLock lock = new ReentrantLock(); // bind and close: no store read
  private final ReentrantLock refreshing = new ReentrantLock(); // one refresh at a time
  private volatile Map<AgentState, Long> states = count(List.of());
  private volatile Meters meters;
  private volatile boolean closed;
  private AgentSeries perAgent; // set under lock before the first refresh, then only refreshes
  private StoreCallMeters storeCalls; // under lock
  private ScheduledExecutorService refresher;

  HeartbeatMetrics(Heartbeats hb, List<HeartbeatAgent> agents, List<Leadership> leaderships,
      List<TaskWorker> workers, List<TaskQueue> queues, List<String> leases, int perAgentCap,
      Duration refreshEvery, List<Duration> latencyBuckets) {
    this.hb = hb;
    this.agents = agents;
    this.leaderships = leaderships;
    this.workers = workers;
    this.queues = queues.stream().map(QueueMeters::new).toList();
    this.leaseWatches = leases.stream().map(LeaseWatchMeters::new).toList();
    this.perAgentCap = perAgentCap;
    this.refreshEvery = refreshEvery;
    this.latencyBuckets = latencyBuckets.toArray(Duration[]::new);
  }

  /**
   * A binder of the engine-wide meters only (ticker, store calls, agents per detector state).
   *
   * @param hb the engine
   * @return the binder
   * @throws NullPointerException when {@code hb} is null
   */
  public static HeartbeatMetrics of(Heartbeats hb) {
    return builder(hb).build();
  }

  /**
   * A builder that adds agents, elections, task workers, task queues and per-agent series.
   *
   * @param hb the engine
   * @return the builder
   * @throws NullPointerException when {@code hb} is null
   */
  public static HeartbeatMetricsBuilder builder(Heartbeats hb) {
    return new HeartbeatMetricsBuilder(hb);
  }

  /**
   * Registers the meters, a store call listener on the engine, and starts the refresh thread.
   * Starts the engine's default stall detector if none runs (for the agents per state).
   *
   * @param registry where the meters go
   * @throws IllegalStateException when this binder is bound already or closed, the
   *     {@code Heartbeats} is closed, or it runs too many lease watches or store call listeners
   *     already
   * @throws IllegalArgumentException when the registry has a meter of one of these names with
   *     other tag keys (nothing of this binder stays registered)
   * @throws NullPointerException when {@code registry} is null
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry must not be null");
    lock.lock();
    try {
      if (closed || meters != null) {
        throw new IllegalStateException(closed ? "this HeartbeatMetrics is closed"
            : "this HeartbeatMetrics is bound already (one registry per binder; use a "
                + "CompositeMeterRegistry for more)");
      }
      hb.detector();
      meters = new Meters(registry);
      try {
        register();
      } catch (RuntimeException e) { // a clash with the registry's meters, too many watches
        if (storeCalls != null) {
          storeCalls.close();
        }
        leaseWatches.forEach(LeaseWatchMeters::close);
        meters.removeAll();
        meters = null;
        throw e;
      }
      refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "heartbeat-metrics");
        t.setDaemon(true);
        return t;
      });
      refresher.scheduleWithFixedDelay(this::refresh, refreshEvery.toMillis(),
          refreshEvery.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      lock.unlock();
    }
    refresh(); // the first values, outside the lock: a close need not wait for a store read
  }

  private void register() {
    HandleMeters.engine(meters, hb);
    storeCalls = new StoreCallMeters(meters, latencyBuckets);
    storeCalls.bind(hb);
    for (AgentState state : AgentState.values()) {
      meters.gauge("heartbeat.agents", "agents the stall detector sees in this state", null,
          Tags.of("state", state.name().toLowerCase(Locale.ROOT)), this,
          m -> m.states.get(state));
    }
    agents.forEach(a -> HandleMeters.agent(meters, a));
    leaderships.forEach(l -> HandleMeters.leadership(meters, l));
    workers.forEach(w -> HandleMeters.worker(meters, w));
    queues.forEach(q -> q.bind(meters));
    leaseWatches.forEach(w -> w.bind(meters, hb.leases()));
    perAgent = perAgentCap > 0 ? new AgentSeries(meters, perAgentCap) : null;
  }

  /**
   * Reads what the gauges show from the detector and the store: agents per state, task counts,
   * the per-agent series. Runs on the refresh thread; closes this binder once the engine is
   * closed. A failure is logged and the thread goes on.
   */
  void refresh() {
    boolean engineClosed = false;
    refreshing.lock();
    try {
      if (closed || meters == null) {
        return;
      }
      Map<String, AgentState> now;
      try {
        now = hb.detector().states();
      } catch (IllegalStateException e) {
        LOG.info("the Heartbeats is closed: removing its meters ({})", e.getMessage());
        engineClosed = true;
        return;
      }
      states = count(now.values());
      queues.forEach(QueueMeters::refresh);
      if (perAgent != null) {
        perAgent.update(hb.registry().agents());
      }
    } catch (RuntimeException e) {
      LOG.warn("heartbeat meters could not be refreshed, they keep the last values: {}",
          e.toString());
    } finally {
      refreshing.unlock();
      if (engineClosed) {
        close();
      }
    }
  }

  /**
   * Removes every meter this binder registered and stops its refresh thread; idempotent. It
   * does not wait for a refresh under way: a meter that refresh adds after is removed at once.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (refresher != null) {
        refresher.shutdownNow();
      }
      if (storeCalls != null) {
        storeCalls.close();
      }
      leaseWatches.forEach(LeaseWatchMeters::close);
      if (meters != null) {
        meters.removeAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Whether every lease watch had its first answer (for tests). */
  boolean watchesAnswered() {
    return leaseWatches.stream().allMatch(LeaseWatchMeters::answered);
  }

  /** Meters registered now (for tests). */
  int meterCount() {
    return meters == null ? 0 : meters.size();
  }

  private static Map<AgentState, Long> count(Iterable<AgentState> all) {
    EnumMap<AgentState, Long> counts = new EnumMap<>(AgentState.class);
    for (AgentState s : AgentState.values()) {
      counts.put(s, 0L);
    }
    all.forEach(s -> counts.merge(s, 1L, Long::sum));
    return counts;
  }
}
