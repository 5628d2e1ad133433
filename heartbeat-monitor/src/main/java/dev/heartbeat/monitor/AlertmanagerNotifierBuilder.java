package dev.heartbeat.monitor;

import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds an {@link AlertmanagerNotifier}; every setter checks its value at once. */
public final class AlertmanagerNotifierBuilder {
  final Heartbeats hb;
  final List<URI> urls = new ArrayList<>();
  Duration resendInterval = AlertmanagerNotifier.DEFAULT_RESEND;
  Duration noLeaderAfter = Duration.ofMinutes(1);
  Duration degradedAfter = Duration.ofMinutes(1);
  Duration poll = Duration.ofSeconds(1);
  final Map<String, String> labels = new HashMap<>();
  final List<String> leases = new ArrayList<>();
  final List<String> queues = new ArrayList<>();
  final List<HeartbeatAgent> agents = new ArrayList<>();
  URI generatorUrl;
  String lease = AlertmanagerNotifier.DEFAULT_LEASE;

  AlertmanagerNotifierBuilder(Heartbeats hb) {
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
  public AlertmanagerNotifierBuilder alertmanager(String url) {
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
   * Sets how often a firing alert is sent again; default
   * {@link AlertmanagerNotifier#DEFAULT_RESEND}.
   *
   * @param interval positive
   * @return this builder
   * @throws IllegalArgumentException when not positive
   */
  public AlertmanagerNotifierBuilder resendInterval(Duration interval) {
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
  public AlertmanagerNotifierBuilder noLeaderAfter(Duration bound) {
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
  public AlertmanagerNotifierBuilder degradedAfter(Duration bound) {
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
  public AlertmanagerNotifierBuilder poll(Duration interval) {
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
  public AlertmanagerNotifierBuilder label(String name, String value) {
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
  public AlertmanagerNotifierBuilder watchLease(String name) {
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
  public AlertmanagerNotifierBuilder queue(String name) {
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
  public AlertmanagerNotifierBuilder agent(HeartbeatAgent agent) {
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
  public AlertmanagerNotifierBuilder generatorUrl(String url) {
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
   * Sets the lease whose holder sends; default {@link AlertmanagerNotifier#DEFAULT_LEASE}.
   *
   * @param name the lease
   * @return this builder
   * @throws IllegalArgumentException when blank
   */
  public AlertmanagerNotifierBuilder lease(String name) {
    lease = notBlank("lease", name);
    return this;
  }

  /** Follows these leases and queues too, and links to {@code page} unless told otherwise. */
  AlertmanagerNotifierBuilder follow(List<String> moreLeases, List<String> moreQueues,
      String page) {
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
