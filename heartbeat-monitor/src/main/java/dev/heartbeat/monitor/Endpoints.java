package dev.heartbeat.monitor;

import com.sun.net.httpserver.HttpExchange;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Heartbeats;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.List;

/** What each path answers, once the {@link Router} let the request through. */
final class Endpoints {
  /** The content type of Prometheus's text exposition format, version 0.0.4. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private final Heartbeats hb;
  private final String shown;
  private final LivenessRule rule;
  private final PrometheusMeterRegistry registry;
  private final EventHub hub;
  private final int eventQueue;
  private final List<String> queues;
  private final String page;

  Endpoints(Heartbeats hb, String shown, LivenessRule rule, PrometheusMeterRegistry registry,
      EventHub hub, int eventQueue, List<String> queues, String page) {
    this.hb = hb;
    this.shown = shown;
    this.rule = rule;
    this.registry = registry;
    this.hub = hub;
    this.eventQueue = eventQueue;
    this.queues = queues;
    this.page = page;
  }

  void serve(HttpExchange ex, String path) throws IOException {
    switch (path) {
      case "/" -> Router.send(ex, 200, "text/html", page);
      case "/healthz" -> Router.send(ex, 200, "text/plain", "ok\n");
      case "/status" -> status(ex);
      case "/metrics" -> Router.send(ex, 200, PROMETHEUS_TEXT, registry.scrape());
      case "/tasks" -> tasks(ex);
      case "/detector" -> Router.send(ex, 200, "application/json", DetectorJson.of(hb));
      case "/events" -> events(ex);
      default -> Router.send(ex, 404, "text/plain", "not found: " + path + "\n");
    }
  }

  /** The document as the CLI prints it; 503 with the failed document when the store fails. */
  String statusDocument() {
    return StatusJson.of(Snapshot.read(hb.store(), shown, rule));
  }

  private void status(HttpExchange ex) throws IOException {
    String doc;
    try {
      doc = statusDocument();
    } catch (HeartbeatStoreException e) {
      Router.send(ex, 503, "application/json",
          StatusJson.failed(shown, "store unreachable: " + e.getMessage(), StatusJson.UNREACHABLE));
      return;
    }
    Router.send(ex, 200, "application/json", doc);
  }

  private void tasks(HttpExchange ex) throws IOException {
    String doc;
    try {
      doc = TasksJson.of(hb, queues);
    } catch (HeartbeatStoreException e) {
      Router.send(ex, 503, "text/plain", "store unreachable\n");
      return;
    }
    Router.send(ex, 200, "application/json", doc);
  }

  private void events(HttpExchange ex) throws IOException {
    EventStream client = new EventStream(eventQueue, ex::close);
    if (ex.getRequestMethod().equals("HEAD") || !hub.join(client)) {
      int code = ex.getRequestMethod().equals("HEAD") ? 200 : 503;
      Router.send(ex, code, code == 200 ? "text/event-stream" : "text/plain",
          code == 200 ? "" : "too many event clients\n");
      return;
    }
    try {
      ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      ex.sendResponseHeaders(200, 0);
      client.pump(ex.getResponseBody());
    } finally {
      hub.leave(client);
    }
  }
}
