package dev.heartbeat.micrometer;

import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.Leadership;
import dev.heartbeat.TaskQueue;
import dev.heartbeat.TaskWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Options of a {@link HeartbeatMetrics}: the handles of this process whose meters it publishes
 * (agents, elections, task workers, task queues), the opt-in per-agent series and how often the
 * store-read values are refreshed. Each kind of handle holds at most
 * {@value HeartbeatMetrics#MAX_HANDLES}, each with a distinct identity (its tag).
 */
public final class HeartbeatMetricsBuilder {
  /** The most histogram buckets of the store call timer. */
  public static final int MAX_BUCKETS = 50;

  private final Heartbeats hb;
  private final Map<String, HeartbeatAgent> agents = new LinkedHashMap<>();
  private final Map<String, Leadership> leaderships = new LinkedHashMap<>();
  private final Map<String, TaskWorker> workers = new LinkedHashMap<>();
  private final Map<String, TaskQueue> queues = new LinkedHashMap<>();
  private final Map<String, String> leases = new LinkedHashMap<>();
  private int perAgent;
  private Duration refreshEvery = HeartbeatMetrics.DEFAULT_REFRESH;
  private List<Duration> latencyBuckets = HeartbeatMetrics.DEFAULT_LATENCY_BUCKETS;

  HeartbeatMetricsBuilder(Heartbeats hb) {
    this.hb = Objects.requireNonNull(hb, "hb must not be null");
  }

  /**
   * Publishes the beats and beat latency of an agent of this process, tagged {@code agent}.
   *
   * @param agent the agent
   * @return this builder
   * @throws IllegalArgumentException when an agent of that id is already added, or
   *     {@value HeartbeatMetrics#MAX_HANDLES} are
   * @throws NullPointerException when {@code agent} is null
   */
  public HeartbeatMetricsBuilder agent(HeartbeatAgent agent) {
    put("agent", agents, Objects.requireNonNull(agent, "agent must not be null").id(), agent);
    return this;
  }

  /**
   * Publishes an election this process campaigns in (held, remaining validity, elections,
   * calls and their latency), tagged {@code lease}.
   *
   * @param leadership the election, from {@code LeaseManager.elect}
   * @return this builder
   * @throws IllegalArgumentException when an election of that lease is already added, or
   *     {@value HeartbeatMetrics#MAX_HANDLES} are
   * @throws NullPointerException when {@code leadership} is null
   */
  public HeartbeatMetricsBuilder leadership(Leadership leadership) {
    put("leadership", leaderships,
        Objects.requireNonNull(leadership, "leadership must not be null").name(), leadership);
    return this;
  }

  /**
   * Publishes the changes of hands of a lease as the store holds it, whoever holds it
   * ({@code heartbeat.lease.transitions{lease, to=acquired|free}}), and its fencing token
   * ({@code heartbeat.lease.token}), through a {@code LeaseManager.watch} that runs from
   * {@link HeartbeatMetrics#bindTo} to {@link HeartbeatMetrics#close()}.
   *
   * @param name the lease
   * @return this builder
   * @throws IllegalArgumentException when the name is not a valid id, that lease is already
   *     added, or {@value HeartbeatMetrics#MAX_HANDLES} are
   */
  public HeartbeatMetricsBuilder lease(String name) {
    dev.heartbeat.spi.Checks.id("name", name);
    put("lease", leases, name, name);
    return this;
  }

  /**
   * Publishes a task worker of this process (attempts by outcome, claims, running attempts,
   * fenced-out writes, self-fenced attempts), tagged {@code worker}.
   *
   * @param worker the worker
   * @return this builder
   * @throws IllegalArgumentException when a worker of that id is already added, or
   *     {@value HeartbeatMetrics#MAX_HANDLES} are
   * @throws NullPointerException when {@code worker} is null
   */
  public HeartbeatMetricsBuilder worker(TaskWorker worker) {
    put("worker", workers, Objects.requireNonNull(worker, "worker must not be null").id(),
        worker);
    return this;
  }

  /**
   * Publishes the task counts per state of a queue, tagged {@code queue}. Counting is a store
   * read: it happens at each refresh, never during a scrape.
   *
   * @param queue the queue's name
   * @return this builder
   * @throws IllegalArgumentException when the name is not a valid id, that queue is already
   *     added, or {@value HeartbeatMetrics#MAX_HANDLES} are
   * @throws IllegalStateException when the store keeps no tasks or the Heartbeats is closed
   */
  public HeartbeatMetricsBuilder queue(String queue) {
    TaskQueue q = hb.tasks(queue);
    put("queue", queues, q.name(), q);
    return this;
  }

  /**
   * Opts in to one series per agent of the store, {@code heartbeat.agent.beat.age{agent}}, for
   * at most {@code maxAgents} agents; past that, one warning and no series for the others.
   *
   * @param maxAgents the cap, 1 to {@value HeartbeatMetrics#MAX_PER_AGENT}
   * @return this builder
   * @throws IllegalArgumentException when {@code maxAgents} is out of range
   */
  public HeartbeatMetricsBuilder perAgent(int maxAgents) {
    if (maxAgents < 1 || maxAgents > HeartbeatMetrics.MAX_PER_AGENT) {
      throw new IllegalArgumentException("maxAgents must be between 1 and "
          + HeartbeatMetrics.MAX_PER_AGENT + ", got " + maxAgents);
    }
    this.perAgent = maxAgents;
    return this;
  }

  /**
   * How often the values that need a store read (task counts, the per-agent series) and the
   * detector's states are refreshed; default {@link HeartbeatMetrics#DEFAULT_REFRESH}.
   *
   * @param every 1 second to 1 hour
   * @return this builder
   * @throws IllegalArgumentException when {@code every} is null or out of range
   */
  public HeartbeatMetricsBuilder refreshEvery(Duration every) {
    if (every == null || every.compareTo(Duration.ofSeconds(1)) < 0
        || every.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("every must be between 1 s and 1 h, got " + every);
    }
    this.refreshEvery = every;
    return this;
  }

  /**
   * The histogram buckets of the store call timer {@code heartbeat.store.calls} (Prometheus
   * {@code le} labels), instead of {@link HeartbeatMetrics#DEFAULT_LATENCY_BUCKETS}: put one at
   * the renew deadline and one at the call timeout to see how many calls come close. Percentiles
   * computed in the process, or Micrometer's own percentile histogram, are a
   * {@code MeterFilter} on the registry away.
   *
   * @param buckets 1 to {@value #MAX_BUCKETS} positive durations, in increasing order
   * @return this builder
   * @throws IllegalArgumentException when {@code buckets} is null, empty, too long, or has a
   *     null, zero, negative or out-of-order value
   */
  public HeartbeatMetricsBuilder latencyBuckets(Duration... buckets) {
    if (buckets == null || buckets.length == 0 || buckets.length > MAX_BUCKETS) {
      throw new IllegalArgumentException("buckets must hold 1 to " + MAX_BUCKETS
          + " durations, got " + (buckets == null ? "null" : buckets.length + " of them"));
    }
    for (int i = 0; i < buckets.length; i++) {
      Duration b = buckets[i];
      if (b == null || b.isNegative() || b.isZero()
          || (i > 0 && b.compareTo(buckets[i - 1]) <= 0)) {
        throw new IllegalArgumentException("buckets must be positive and increasing, got "
            + java.util.Arrays.toString(buckets) + " (at index " + i + ": " + b + ")");
      }
    }
    this.latencyBuckets = List.of(buckets);
    return this;
  }

  /**
   * The binder; nothing is registered until {@link HeartbeatMetrics#bindTo}.
   *
   * @return the binder
   */
  public HeartbeatMetrics build() {
    return new HeartbeatMetrics(hb, List.copyOf(agents.values()),
        List.copyOf(leaderships.values()), List.copyOf(workers.values()),
        new ArrayList<>(queues.values()), List.copyOf(leases.values()), perAgent,
        refreshEvery, latencyBuckets);
  }

  private static <T> void put(String kind, Map<String, T> map, String id, T handle) {
    if (map.containsKey(id)) {
      throw new IllegalArgumentException(kind + " " + id + " is already added");
    }
    if (map.size() >= HeartbeatMetrics.MAX_HANDLES) {
      throw new IllegalArgumentException("at most " + HeartbeatMetrics.MAX_HANDLES + " of kind "
          + kind + ", got one more: " + id);
    }
    map.put(id, handle);
  }
}
