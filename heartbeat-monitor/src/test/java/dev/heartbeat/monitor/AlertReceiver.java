package dev.heartbeat.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on a free loopback port that records what is posted to it. */
final class AlertReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  final HttpServer server;
  final List<String> paths = new CopyOnWriteArrayList<>();
  final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
  final AtomicInteger failFirst = new AtomicInteger();
  final AtomicInteger refused = new AtomicInteger();
  /** How many posts (after those failed) to answer 400, as Alertmanager does to a bad alert. */
  final AtomicInteger rejectFirst = new AtomicInteger();

  AlertReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      if (failFirst.getAndDecrement() > 0) {
        refused.incrementAndGet();
        ex.sendResponseHeaders(503, -1);
      } else if (rejectFirst.getAndDecrement() > 0) {
        ex.sendResponseHeaders(400, -1);
      } else {
        paths.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
        bodies.add(JSON.readTree(new String(body, StandardCharsets.UTF_8)));
        ex.sendResponseHeaders(200, -1);
      }
      ex.close();
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every alert posted, in order. */
  List<JsonNode> alerts() {
    List<JsonNode> all = new ArrayList<>();
    bodies.forEach(b -> b.forEach(all::add));
    return all;
  }

  List<JsonNode> alerts(String alertname, String label, String value) {
    return alerts().stream().filter(a -> alertname.equals(a.path("labels").path("alertname")
        .asText()) && value.equals(a.path("labels").path(label).asText())).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
