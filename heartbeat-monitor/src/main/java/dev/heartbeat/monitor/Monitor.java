package dev.heartbeat.monitor;

import com.sun.net.httpserver.HttpServer;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.micrometer.HeartbeatMetrics;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An embeddable, read-only monitor of one {@link Heartbeats}, on the JDK's own HTTP server
 * ({@code com.sun.net.httpserver}) with a bounded executor of virtual threads:
 *
 * <pre>
 * GET /          the dashboard: one self-contained page, live from /events
 * GET /healthz   "ok" while the monitor runs
 * GET /status    the heartbeat-status/1 document (the one {@code heartbeat status --json} prints)
 * GET /metrics   Prometheus text format 0.0.4, from {@link HeartbeatMetrics}
 * GET /events    server-sent events: agent (detector changes), lease (transitions of the
 *                leases named), tasks (changed counts of the queues named)
 * GET /tasks     counts and blocked tasks of the queues named
 * </pre>
 *
 * <p>With {@link MonitorBuilder#alertmanager} it also pages through Alertmanager, its alerts
 * linking to this page (see {@link AlertmanagerNotifier}).
 *
 * <p>It binds 127.0.0.1 unless told otherwise. With a token, every request needs
 * {@code Authorization: Bearer TOKEN} (or {@code ?token=TOKEN}, which the page passes on to
 * what it reads); else 401. Only GET and HEAD are answered (405 otherwise), unknown paths are
 * 404, and no answer carries a stack trace. An events client too slow to keep up is dropped; no
 * client ever blocks the engine.
 */
public final class Monitor implements AutoCloseable {
  private final HttpServer server;
  private final EventHub hub;
  private final EventSources sources;
  private final AutoCloseable owned;
  private final AlertmanagerNotifier notifier;
  private final AtomicBoolean closed = new AtomicBoolean();

  Monitor(HttpServer server, EventHub hub, EventSources sources, AutoCloseable owned,
      AlertmanagerNotifier notifier) {
    this.server = server;
    this.notifier = notifier;
    this.hub = hub;
    this.sources = sources;
    this.owned = owned;
  }

  /**
   * Starts a monitor of {@code hb} on 127.0.0.1 at {@code port}, with its own Prometheus
   * registry and {@link HeartbeatMetrics}, no token.
   *
   * @param hb what to monitor; it stays the caller's to close
   * @param port the port, 0 for any free one
   * @return the running monitor
   * @throws java.io.UncheckedIOException when the port cannot be bound
   * @throws IllegalArgumentException when the port is out of range
   */
  public static Monitor start(Heartbeats hb, int port) {
    return builder(hb).port(port).start();
  }

  /**
   * A builder of a monitor of {@code hb}.
   *
   * @param hb what to monitor; it stays the caller's to close
   * @return the builder
   * @throws IllegalArgumentException when {@code hb} is null
   */
  public static MonitorBuilder builder(Heartbeats hb) {
    return new MonitorBuilder(hb);
  }

  /**
   * Where the monitor listens.
   *
   * @return the bound address and port
   */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /**
   * The port the monitor listens on (the one chosen when started with port 0).
   *
   * @return the port
   */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * How many {@code /events} clients were dropped for not reading fast enough.
   *
   * @return the count since start
   */
  public long droppedEventClients() {
    return hub.dropped();
  }

  /**
   * The notifier this monitor started ({@link MonitorBuilder#alertmanager}), if any.
   *
   * @return the notifier, closed with the monitor
   */
  public Optional<AlertmanagerNotifier> notifier() {
    return Optional.ofNullable(notifier);
  }

  /**
   * Stops the notifier it started, stops listening, ends every events stream, and closes the
   * metrics it created; idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (notifier != null) {
      notifier.close();
    }
    sources.close();
    hub.close();
    server.stop(0);
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        // the registry and binder the monitor made close without checked failures
        throw new IllegalStateException("cannot close the monitor's metrics", e);
      }
    }
  }
}
