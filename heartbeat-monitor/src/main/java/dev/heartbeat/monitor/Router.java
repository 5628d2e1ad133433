package dev.heartbeat.monitor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request: only GET and HEAD (405 otherwise), the bearer token when one is set (401
 * otherwise), the known paths (404 otherwise), and no stack trace in any answer (a failure is
 * logged and answered 500 or 503 with one line).
 */
final class Router implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);
  private final Endpoints endpoints;
  private final byte[] token;

  Router(Endpoints endpoints, String token) {
    this.endpoints = endpoints;
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        send(ex, 405, "text/plain", "method not allowed: " + method + "\n");
        return;
      }
      if (!authorized(ex)) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"heartbeat-monitor\"");
        send(ex, 401, "text/plain", "a bearer token is needed\n");
        return;
      }
      endpoints.serve(ex, ex.getRequestURI().getPath());
    } catch (IOException e) {
      LOG.debug("heartbeat-monitor: client went away: {}", e.toString());
    } catch (RuntimeException e) {
      LOG.warn("heartbeat-monitor: {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
      try {
        send(ex, 500, "text/plain", "internal error\n");
      } catch (IOException | RuntimeException ignored) {
        // headers were sent already, or the client went: nothing more to say
      }
    }
  }

  private boolean authorized(HttpExchange ex) {
    if (token == null) {
      return true;
    }
    String given = null;
    String header = ex.getRequestHeaders().getFirst("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      given = header.substring(7).trim();
    } else {
      given = Query.param(ex.getRequestURI().getRawQuery(), "token");
    }
    return given != null
        && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
  }

  /** Answers {@code body}; for HEAD, the headers only. */
  static void send(HttpExchange ex, int code, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type",
        type.contains("charset") ? type : type + "; charset=utf-8");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(code, -1);
      return;
    }
    ex.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
