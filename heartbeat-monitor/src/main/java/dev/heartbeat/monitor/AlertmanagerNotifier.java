package dev.heartbeat.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.Leadership;
import dev.heartbeat.LeadershipListener;
import dev.heartbeat.TimeSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pages through Alertmanager's v2 API when an agent dies or stalls, a lease has no holder, beats
 * fail against the store, or a task blocks, and tells again when it is over.
 *
 * <p>Only the process holding the {@code notifier} lease (see {@link Builder#lease}) sends, so a
 * fleet pages once; when it loses the lease another process is elected and re-sends what is
 * firing. Every {@code resendInterval} the leader posts each firing alert with {@code endsAt =
 * now + 4 × resendInterval} (so Alertmanager resolves it by itself if every sender dies) and
 * each alert resolved in the last 15 minutes with {@code endsAt} its resolution; a change is
 * sent at the next tick (at most a second later). Each Alertmanager URL gets every alert from
 * its own virtual thread and bounded queue: sending never blocks the engine's ticker or a
 * listener; failures are counted and retried with bounded backoff.
 *
 * <p>Thread-safe. {@link #close()} stops sending and steps down.
 */
public final class AlertmanagerNotifier implements AutoCloseable {
  /** The default time between two sends of a firing alert. */
  public static final Duration DEFAULT_RESEND = Duration.ofMinutes(1);
  /** The default name of the lease whose holder sends. */
  public static final String DEFAULT_LEASE = "notifier";
  /** How many batches each Alertmanager's queue holds before dropping the oldest. */
  public static final int QUEUE_CAPACITY = 100;
  private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerNotifier.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final TimeSource time;
  private final Duration resend;
  private final Duration tick;
  private final AlertRules rules;
  private final AlertFeed feed;
  private final HttpClient http;
  private final List<AlertSender> senders = new ArrayList<>();
  private final Leadership leadership;
  private final AtomicBoolean leader = new AtomicBoolean();
  private final AtomicBoolean resendAll = new AtomicBoolean();
  /** Per alert: when last sent (nanos) and whether it was firing then; bounded by the rules. */
  private final Map<SortedMap<String, String>, long[]> lastSent = new HashMap<>();
  private final Thread ticker;

  private AlertmanagerNotifier(Builder b) {
    this.time = b.hb.config().time();
    this.resend = b.resendInterval;
    this.tick = resend.compareTo(Duration.ofSeconds(1)) < 0 ? resend : Duration.ofSeconds(1);
    this.rules = new AlertRules(time, b.labels, java.util.Optional.ofNullable(b.generatorUrl)
        .map(URI::toString), b.noLeaderAfter, b.degradedAfter);
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Duration callTimeout = resend.dividedBy(2).compareTo(Duration.ofSeconds(10)) > 0
        ? Duration.ofSeconds(10) : resend.dividedBy(2);
    for (URI u : b.urls) {
      senders.add(new AlertSender(u, http, callTimeout, QUEUE_CAPACITY));
    }
    this.feed = new AlertFeed(b.hb, rules, b.leases, b.queues, b.agents, b.poll);
    this.leadership = b.hb.leases().elect(b.lease, LeadershipListener.of(l -> {
      resendAll.set(true);
      leader.set(true);
      LOG.info("heartbeat-monitor: this process sends alerts now (lease {})", l.name());
    }, (l, why) -> {
      leader.set(false);
      LOG.info("heartbeat-monitor: this process no longer sends alerts ({})", why);
    }));
    this.ticker = Thread.ofVirtual().name("heartbeat-alert-ticker").start(this::run);
    LOG.info("heartbeat-monitor: alerts to {} every {}, lease {}", b.urls, resend, b.lease);
  }

  /**
   * Starts building a notifier for an engine.
   *
   * @param hb the engine whose detector, leases and queues feed the alerts
   * @return a builder
   */
  public static Builder builder(Heartbeats hb) {
    return new Builder(hb);
  }

  /**
   * Whether this process holds the notifier lease and so sends.
   *
   * @return whether it sends
   */
  public boolean sending() {
    return leader.get();
  }

  /**
   * How many batches were accepted, summed over the Alertmanagers.
   *
   * @return the count
   */
  public long sent() {
    return senders.stream().mapToLong(AlertSender::sent).sum();
  }

  /**
   * How many posts failed (no answer or a 5xx) and were retried, summed over the Alertmanagers.
   *
   * @return the count
   */
  public long failures() {
    return senders.stream().mapToLong(AlertSender::failures).sum();
  }

  /**
   * How many batches the bounded queues dropped (the oldest first), plus alerts the rules
   * dropped at their bound.
   *
   * @return the count
   */
  public long dropped() {
    return senders.stream().mapToLong(AlertSender::dropped).sum() + rules.dropped();
  }

  private void run() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        sendDue();
      } catch (RuntimeException e) {
        LOG.warn("heartbeat-monitor: alert tick failed", e);
      }
      time.parkUntil(time.nanoTime() + tick.toNanos());
    }
  }

  private void sendDue() {
    if (!leader.get()) {
      return;
    }
    boolean all = resendAll.getAndSet(false);
    long nanos = time.nanoTime();
    Instant now = time.instant();
    List<Alert> alerts = rules.alerts();
    lastSent.keySet().retainAll(alerts.stream().map(Alert::labels).toList());
    ArrayNode batch = JSON.createArrayNode();
    for (Alert a : alerts) {
      long[] last = lastSent.get(a.labels());
      boolean firing = a.firing();
      boolean due = all || last == null || (last[1] == 1) != firing
          || nanos - last[0] >= resend.toNanos();
      if (due) {
        batch.add(json(a, now));
        lastSent.put(a.labels(), new long[] {nanos, firing ? 1 : 0});
      }
    }
    if (!batch.isEmpty()) {
      String body = batch.toString();
      senders.forEach(s -> s.offer(body));
    }
  }

  private ObjectNode json(Alert a, Instant now) {
    ObjectNode o = JSON.createObjectNode();
    ObjectNode labels = o.putObject("labels");
    a.labels().forEach(labels::put);
    ObjectNode ann = o.putObject("annotations");
    a.annotations().forEach(ann::put);
    o.put("startsAt", a.startsAt().toString());
    o.put("endsAt", a.resolvedAt().orElse(now.plus(resend.multipliedBy(4))).toString());
    a.generatorUrl().ifPresent(u -> o.put("generatorURL", u));
    return o;
  }

  /** Stops sending, steps down from the lease and stops the feed; bounded. */
  @Override
  public void close() {
    ticker.interrupt();
    leadership.close();
    feed.close();
    senders.forEach(AlertSender::close);
    http.close();
  }

  /** Builds an {@link AlertmanagerNotifier}; every setter checks its value at once. */
  public static final class Builder {
    private final Heartbeats hb;
    private final List<URI> urls = new ArrayList<>();
    private Duration resendInterval = DEFAULT_RESEND;
    private Duration noLeaderAfter = Duration.ofMinutes(1);
    private Duration degradedAfter = Duration.ofMinutes(1);
    private Duration poll = Duration.ofSeconds(1);
    private final Map<String, String> labels = new HashMap<>();
    private final List<String> leases = new ArrayList<>();
    private final List<String> queues = new ArrayList<>();
    private final List<HeartbeatAgent> agents = new ArrayList<>();
    private URI generatorUrl;
    private String lease = DEFAULT_LEASE;

    private Builder(Heartbeats hb) {
      if (hb == null) {
        throw new IllegalArgumentException("hb must not be null");
      }
      this.hb = hb;
    }

    /**
     * Adds an Alertmanager; each one gets every alert (never put a balancer in front).
     *
     * @param url its base URL, {@code http} or {@code https} with a host, e.g.
     *     {@code http://127.0.0.1:9093}
     * @return this builder
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL with a host
     */
    public Builder alertmanager(String url) {
      URI u;
      try {
        u = URI.create(url);
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException("alertmanager must be a URL, got " + url, e);
      }
      if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
          || u.getHost() == null || u.getQuery() != null || u.getFragment() != null) {
        throw new IllegalArgumentException("alertmanager must be an http or https URL with a "
            + "host and no query, got " + url);
      }
      urls.add(u);
      return this;
    }

    /**
     * Sets how often a firing alert is sent again; default {@link #DEFAULT_RESEND}.
     *
     * @param interval positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder resendInterval(Duration interval) {
      resendInterval = positive("resendInterval", interval);
      return this;
    }

    /**
     * Sets how long a lease followed with {@link #watchLease(String)} may have no holder
     * before it pages; default one minute.
     *
     * @param bound positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder noLeaderAfter(Duration bound) {
      noLeaderAfter = positive("noLeaderAfter", bound);
      return this;
    }

    /**
     * Sets how long the beats of an agent given to {@link #agent} may fail against the store
     * before it pages; default one minute.
     *
     * @param bound positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder degradedAfter(Duration bound) {
      degradedAfter = positive("degradedAfter", bound);
      return this;
    }

    /**
     * Sets how often queues and agents are read; default one second.
     *
     * @param interval positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder poll(Duration interval) {
      poll = positive("poll", interval);
      return this;
    }

    /**
     * Adds a label to every alert.
     *
     * @param name matches {@code [a-zA-Z_][a-zA-Z0-9_]*}, Alertmanager's rule
     * @param value not empty
     * @return this builder
     * @throws IllegalArgumentException when the name breaks the rule or the value is empty
     */
    public Builder label(String name, String value) {
      labels.putAll(Alert.checkLabels("label", Map.of(String.valueOf(name),
          value == null ? "" : value)));
      return this;
    }

    /**
     * Follows a lease: it pages when the lease has no holder for {@link #noLeaderAfter}.
     *
     * @param name the lease
     * @return this builder
     * @throws IllegalArgumentException when blank
     */
    public Builder watchLease(String name) {
      leases.add(notBlank("watchLease", name));
      return this;
    }

    /**
     * Follows a queue: each of its {@code BLOCKED} tasks pages.
     *
     * @param name the queue
     * @return this builder
     * @throws IllegalArgumentException when blank
     */
    public Builder queue(String name) {
      queues.add(notBlank("queue", name));
      return this;
    }

    /**
     * Follows a local agent's beats: it pages when they fail for {@link #degradedAfter}.
     *
     * @param agent the agent
     * @return this builder
     * @throws IllegalArgumentException when null
     */
    public Builder agent(HeartbeatAgent agent) {
      if (agent == null) {
        throw new IllegalArgumentException("agent must not be null");
      }
      agents.add(agent);
      return this;
    }

    /**
     * Sets the page alerts link to (the monitor page), sent as {@code generatorURL}.
     *
     * @param url an absolute URL
     * @return this builder
     * @throws IllegalArgumentException when not absolute
     */
    public Builder generatorUrl(String url) {
      URI u;
      try {
        u = URI.create(url);
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException("generatorUrl must be a URL, got " + url, e);
      }
      if (!u.isAbsolute()) {
        throw new IllegalArgumentException("generatorUrl must be absolute, got " + url);
      }
      generatorUrl = u;
      return this;
    }

    /**
     * Sets the lease whose holder sends; default {@link #DEFAULT_LEASE}.
     *
     * @param name the lease
     * @return this builder
     * @throws IllegalArgumentException when blank
     */
    public Builder lease(String name) {
      lease = notBlank("lease", name);
      return this;
    }

    /** Follows these leases and queues too, and links to {@code page} unless told otherwise. */
    Builder follow(List<String> moreLeases, List<String> moreQueues, String page) {
      moreLeases.stream().filter(l -> !leases.contains(l)).forEach(leases::add);
      moreQueues.stream().filter(q -> !queues.contains(q)).forEach(queues::add);
      if (generatorUrl == null) {
        generatorUrl(page);
      }
      return this;
    }

    /**
     * Starts following and, once elected, sending.
     *
     * @return the running notifier
     * @throws IllegalStateException when no Alertmanager was given
     */
    public AlertmanagerNotifier start() {
      if (urls.isEmpty()) {
        throw new IllegalStateException("alertmanager: give at least one URL");
      }
      return new AlertmanagerNotifier(this);
    }

    private static Duration positive(String name, Duration d) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
      return d;
    }

    private static String notBlank(String name, String s) {
      if (s == null || s.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank, got '" + s + "'");
      }
      return s;
    }
  }
}
