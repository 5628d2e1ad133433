package dev.heartbeat.monitor;

import dev.heartbeat.DetectorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard: {@code dashboard.html} from this package, self-contained (inline script and
 * style, nothing fetched from elsewhere), told the detector's bounds so that a beat's age turns
 * amber past the hard timeout and red past hard timeout plus suspicion grace.
 */
final class Page {
  private static final String BOUNDS = "/*BOUNDS*/";

  private Page() {}

  static String html(DetectorConfig config) {
    String page;
    try (InputStream in = Page.class.getResourceAsStream("dashboard.html")) {
      if (in == null) {
        throw new IllegalStateException("dashboard.html is missing from heartbeat-monitor");
      }
      page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dashboard.html", e);
    }
    long suspect = config.hardTimeout().toMillis();
    long dead = suspect + config.suspicionGrace().toMillis();
    return page.replace(BOUNDS, "{\"suspectMillis\":" + suspect + ",\"deadMillis\":" + dead
        + "}");
  }
}
