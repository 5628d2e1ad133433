package dev.heartbeat.monitor;

import com.sun.net.httpserver.HttpServer;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.micrometer.HeartbeatMetrics;
import dev.heartbeat.micrometer.HeartbeatMetricsBuilder;
import dev.heartbeat.spi.Checks;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Builds a {@link Monitor}; every setting has a default, see each method. */
public final class MonitorBuilder {
  /** The most leases or queues one monitor follows. */
  public static final int MAX_NAMED = 100;
  private final Heartbeats hb;
  private String bind = "127.0.0.1";
  private int port = 9464;
  private String token;
  private PrometheusMeterRegistry registry;
  private String storeName;
  private LivenessRule rule = new BoundsRule(Thresholds.DEFAULTS, BoundsRule.DEFAULT_INTERVAL);
  private final List<String> leases = new ArrayList<>();
  private final List<String> queues = new ArrayList<>();
  private int maxExchanges = 64;
  private int maxEventClients = 16;
  private int eventQueue = 256;
  private Duration taskPoll = Duration.ofSeconds(2);
  private AlertmanagerNotifierBuilder alerts;

  MonitorBuilder(Heartbeats hb) {
    this.hb = Checks.notNull("hb", hb);
  }

  /**
   * The port; default 9464.
   *
   * @param port 0 (any free port) to 65535
   * @return this builder
   * @throws IllegalArgumentException when out of range
   */
  public MonitorBuilder port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
    }
    this.port = port;
    return this;
  }

  /**
   * The address to bind; default 127.0.0.1 (this host only).
   *
   * @param address an IP address or host name, such as {@code 0.0.0.0} for every interface
   * @return this builder
   * @throws IllegalArgumentException when blank
   */
  public MonitorBuilder bind(String address) {
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("bind address must not be blank, got '" + address + "'");
    }
    this.bind = address.strip();
    return this;
  }

  /**
   * A bearer token every request must carry; default none.
   *
   * @param token the token, at least 8 characters
   * @return this builder
   * @throws IllegalArgumentException when shorter than 8 characters
   */
  public MonitorBuilder token(String token) {
    if (token == null || token.length() < 8) {
      throw new IllegalArgumentException("token must have at least 8 characters, got "
          + (token == null ? "null" : token.length() + " character(s)"));
    }
    this.token = token;
    return this;
  }

  /**
   * The registry {@code /metrics} scrapes, such as the one a {@link HeartbeatMetrics} is
   * already bound to (the monitor then binds nothing and closes nothing of it); default: a
   * registry of its own with {@link HeartbeatMetrics} bound, closed with the monitor.
   *
   * @param registry the registry
   * @return this builder
   * @throws IllegalArgumentException when null
   */
  public MonitorBuilder registry(PrometheusMeterRegistry registry) {
    this.registry = Checks.notNull("registry", registry);
    return this;
  }

  /**
   * The store as the status document names it; default the store's own description.
   *
   * @param shown the name, credentials masked
   * @return this builder
   * @throws IllegalArgumentException when blank
   */
  public MonitorBuilder storeName(String shown) {
    if (shown == null || shown.isBlank()) {
      throw new IllegalArgumentException("storeName must not be blank, got '" + shown + "'");
    }
    this.storeName = shown;
    return this;
  }

  /**
   * How {@code /status} judges agents; default {@link BoundsRule} with
   * {@link Thresholds#DEFAULTS}, as {@code heartbeat status} does.
   *
   * @param rule the rule
   * @return this builder
   * @throws IllegalArgumentException when null
   */
  public MonitorBuilder rule(LivenessRule rule) {
    this.rule = Checks.notNull("rule", rule);
    return this;
  }

  /**
   * Follows a lease: its transitions go to {@code /events} (and, with the monitor's own
   * registry, to {@code /metrics}).
   *
   * @param name the lease's name
   * @return this builder
   * @throws IllegalArgumentException when invalid, or beyond {@value #MAX_NAMED} leases
   */
  public MonitorBuilder lease(String name) {
    add(leases, "lease", name);
    return this;
  }

  /**
   * Follows a task queue: its counts and blocked tasks go to {@code /tasks}, changed counts
   * to {@code /events} (read every {@link #taskPoll}), and, with the monitor's own registry,
   * its meters to {@code /metrics}.
   *
   * @param name the queue's name
   * @return this builder
   * @throws IllegalArgumentException when invalid, or beyond {@value #MAX_NAMED} queues
   */
  public MonitorBuilder queue(String name) {
    add(queues, "queue", name);
    return this;
  }

  /**
   * How often the queues followed are read for {@code /events}; default 2 s.
   *
   * @param every a positive duration
   * @return this builder
   * @throws IllegalArgumentException when not positive
   */
  public MonitorBuilder taskPoll(Duration every) {
    this.taskPoll = Checks.positive("taskPoll", every);
    return this;
  }

  /**
   * The most {@code /events} clients at once (more are answered 503), and how many events
   * each may have waiting before it is dropped as too slow; defaults 16 and 256.
   *
   * @param maxClients 1 to 1000
   * @param queue 1 to 10000
   * @return this builder
   * @throws IllegalArgumentException when out of range
   */
  public MonitorBuilder events(int maxClients, int queue) {
    this.maxEventClients = range("maxClients", maxClients, 1000);
    this.eventQueue = range("queue", queue, 10_000);
    return this;
  }

  /**
   * The most requests served at once, each on a virtual thread (a connection beyond is
   * closed); default 64. Event streams count.
   *
   * @param max 1 to 10000
   * @return this builder
   * @throws IllegalArgumentException when out of range
   */
  public MonitorBuilder maxExchanges(int max) {
    this.maxExchanges = range("maxExchanges", max, 10_000);
    return this;
  }

  /**
   * Pages through this Alertmanager (repeatable: each one gets every alert; never list a
   * balancer): the monitor starts an {@link AlertmanagerNotifier} that follows the leases and
   * queues the monitor follows, whose alerts link to the monitor's page ({@code generatorURL},
   * unless {@link #alerts} sets another), and closes it with itself. Only the holder of the
   * notifier lease sends; see {@link AlertmanagerNotifier}.
   *
   * @param url its base URL, such as {@code http://127.0.0.1:9093}
   * @return this builder
   * @throws IllegalArgumentException when not an absolute http(s) URL with a host
   */
  public MonitorBuilder alertmanager(String url) {
    alerts().alertmanager(url);
    return this;
  }

  /**
   * Further settings of the notifier {@link #alertmanager} turns on (resend interval, labels,
   * bounds, the lease its sender holds, ...), applied at once.
   *
   * @param settings what to set on the notifier's builder
   * @return this builder
   * @throws IllegalArgumentException when null, or as the settings throw
   */
  public MonitorBuilder alerts(Consumer<AlertmanagerNotifierBuilder> settings) {
    Checks.notNull("settings", settings).accept(alerts());
    return this;
  }

  private AlertmanagerNotifierBuilder alerts() {
    if (alerts == null) {
      alerts = AlertmanagerNotifier.builder(hb);
    }
    return alerts;
  }

  /**
   * Binds and starts the monitor.
   *
   * @return the running monitor
   * @throws UncheckedIOException when the address cannot be bound
   * @throws IllegalArgumentException when the bind address is unknown
   * @throws IllegalStateException when {@link #alerts} was set but no {@link #alertmanager}
   */
  public Monitor start() {
    InetSocketAddress at;
    try {
      at = new InetSocketAddress(InetAddress.getByName(bind), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bind address unknown: '" + bind + "'", e);
    }
    PrometheusMeterRegistry scraped = registry;
    AutoCloseable owned = null;
    if (scraped == null) {
      PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      HeartbeatMetricsBuilder b = HeartbeatMetrics.builder(hb);
      leases.forEach(b::lease);
      queues.forEach(b::queue);
      HeartbeatMetrics metrics = b.build();
      metrics.bindTo(own);
      scraped = own;
      owned = () -> {
        metrics.close();
        own.close();
      };
    }
    EventHub hub = new EventHub(maxEventClients);
    EventSources sources = null;
    try {
      sources = new EventSources(hb, hub, List.copyOf(leases), List.copyOf(queues), taskPoll);
      Endpoints endpoints = new Endpoints(hb, storeName != null ? storeName
          : hb.store().describe(), rule, scraped, hub, eventQueue, List.copyOf(queues),
          Page.html(hb.detector().config()));
      HttpServer server = HttpServer.create(at, 64);
      server.setExecutor(new BoundedExecutor(maxExchanges));
      server.createContext("/", new Router(endpoints, token));
      server.start();
      AlertmanagerNotifier notifier;
      try {
        notifier = alerts == null ? null
            : alerts.follow(leases, queues, pageUrl(server.getAddress())).start();
      } catch (RuntimeException e) {
        server.stop(0);
        throw e;
      }
      return new Monitor(server, hub, sources, owned, notifier);
    } catch (IOException e) {
      close(sources, owned);
      throw new UncheckedIOException("cannot listen on " + bind + ":" + port + ": "
          + e.getMessage(), e);
    } catch (RuntimeException e) {
      close(sources, owned);
      throw e;
    }
  }

  /** The page at {@code at}: its host as bound, or this host's name when bound to all. */
  static String pageUrl(InetSocketAddress at) {
    String host = at.getAddress().getHostAddress();
    if (at.getAddress().isAnyLocalAddress()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "localhost";
      }
    } else if (host.contains(":")) {
      host = "[" + host.replaceFirst("%.*$", "") + "]";
    }
    return "http://" + host + ":" + at.getPort() + "/";
  }

  private static void close(EventSources sources, AutoCloseable owned) {
    if (sources != null) {
      sources.close();
    }
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception ignored) {
        // already failing: the first failure is the one reported
      }
    }
  }

  private static void add(List<String> names, String what, String name) {
    Checks.id(what, name);
    if (names.size() >= MAX_NAMED) {
      throw new IllegalArgumentException("at most " + MAX_NAMED + " " + what + "s, got one more: "
          + name);
    }
    if (!names.contains(name)) {
      names.add(name);
    }
  }

  private static int range(String what, int value, int max) {
    if (value < 1 || value > max) {
      throw new IllegalArgumentException(what + " must be 1 to " + max + ", got " + value);
    }
    return value;
  }
}
