package dev.heartbeat.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heartbeat.tck.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromedriver} driving Debian's headless {@code chromium}, spoken to over the
 * W3C WebDriver protocol (plain JSON over HTTP) with the JDK's client: no browser download, no
 * driver library.
 */
final class WebDriver implements AutoCloseable {
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private String session;

  WebDriver(Path log) throws Exception {
    if (!Files.isExecutable(DRIVER) || !Files.isExecutable(CHROMIUM)) {
      throw new AssertionError(DRIVER + " and " + CHROMIUM + " are needed (apt-get install "
          + "chromium chromium-driver; .ci/run does)");
    }
    int port = PrometheusScrapeTest.freePort();
    base = "http://127.0.0.1:" + port;
    process = new ProcessBuilder(DRIVER.toString(), "--port=" + port)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      Await.until("chromedriver to listen (log " + log + ")", () -> {
        if (!process.isAlive()) {
          throw new AssertionError("chromedriver exited " + process.exitValue());
        }
        try {
          return call("GET", "/status", null).path("value").path("ready").asBoolean();
        } catch (IOException e) {
          return false;
        }
      }, Duration.ofSeconds(30));
      JsonNode created = call("POST", "/session", Map.of("capabilities", Map.of("alwaysMatch",
          Map.of("browserName", "chrome", "goog:chromeOptions", Map.of(
              "binary", CHROMIUM.toString(),
              "args", List.of("--headless=new", "--no-sandbox", "--disable-gpu",
                  "--disable-dev-shm-usage", "--window-size=1280,900"))))));
      session = created.path("value").path("sessionId").asText(null);
      if (session == null) {
        throw new AssertionError("no WebDriver session: " + created);
      }
    } catch (Exception | AssertionError e) {
      close();
      throw e;
    }
  }

  void open(String url) throws IOException {
    call("POST", "/session/" + session + "/url", Map.of("url", url));
  }

  /** Runs {@code script} (a function body) in the page and answers its return value. */
  JsonNode run(String script) throws IOException {
    return call("POST", "/session/" + session + "/execute/sync",
        Map.of("script", script, "args", List.of())).path("value");
  }

  void screenshot(Path png) throws IOException {
    String data = call("GET", "/session/" + session + "/screenshot", null).path("value").asText();
    Files.createDirectories(png.getParent());
    Files.write(png, Base64.getDecoder().decode(data));
  }

  private JsonNode call(String method, String path, Object body) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      if (session != null) {
        call("DELETE", "/session/" + session, null);
      }
    } catch (IOException ignored) {
      // the driver is going anyway
    } finally {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      http.close();
    }
  }
}
