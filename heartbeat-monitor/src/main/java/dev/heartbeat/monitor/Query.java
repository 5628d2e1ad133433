package dev.heartbeat.monitor;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Reads one parameter of a raw query string. */
final class Query {
  private static final int MAX_PARAMS = 32;

  private Query() {}

  static String param(String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    String[] parts = rawQuery.split("&", MAX_PARAMS + 1);
    for (int i = 0; i < Math.min(parts.length, MAX_PARAMS); i++) {
      int eq = parts[i].indexOf('=');
      if (eq > 0 && parts[i].substring(0, eq).equals(name)) {
        return URLDecoder.decode(parts[i].substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
