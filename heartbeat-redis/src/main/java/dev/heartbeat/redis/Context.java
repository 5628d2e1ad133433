package dev.heartbeat.redis;

import dev.heartbeat.spi.StoreProblems;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ValueScanCursor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * What the heartbeat, lease and task parts of the store share: the link, the key layout, the
 * problem list, the clock offset (zero in production) or, for tests whose kit needs a clock that
 * stands still between calls, a pinned clock, and a few multi-key reads.
 */
record Context(RedisLink link, Keys keys, StoreProblems problems, String describe,
    Supplier<Duration> offset, Supplier<Instant> pinned) {
  private static final int CHUNK = 500;

  /**
   * The clock argument as the scripts take it: the offset in milliseconds, or {@code @} and the
   * pinned instant in microseconds.
   */
  String offsetMillis() {
    if (pinned != null) {
      return "@" + pinnedMicros();
    }
    return Long.toString(offset.get().toMillis());
  }

  /** The pinned clock in whole microseconds, as the scripts see it. */
  long pinnedMicros() {
    Instant at = pinned.get();
    return Math.multiplyExact(at.getEpochSecond(), 1_000_000L) + at.getNano() / 1000;
  }

  /** Every member of a registry set, sorted, read in chunks with {@code SSCAN}. */
  List<String> members(String registry, String operation) {
    TreeSet<String> out = new TreeSet<>();
    ScanCursor cursor = ScanCursor.INITIAL;
    ScanArgs args = ScanArgs.Builder.limit(CHUNK);
    do {
      ValueScanCursor<String> page = link.await(link.commands().sscan(registry, cursor, args), operation);
      out.addAll(page.getValues());
      cursor = page;
    } while (!cursor.isFinished());
    return new ArrayList<>(out);
  }

  /** The hashes at {@code keys}, pipelined in chunks; an absent hash is an empty map. */
  List<Map<String, String>> hashes(List<String> keys, String operation) {
    List<Map<String, String>> out = new ArrayList<>(keys.size());
    for (int from = 0; from < keys.size(); from += CHUNK) {
      List<RedisFuture<Map<String, String>>> futures = new ArrayList<>();
      for (String key : keys.subList(from, Math.min(keys.size(), from + CHUNK))) {
        futures.add(link.commands().hgetall(key));
      }
      for (RedisFuture<Map<String, String>> f : futures) {
        out.add(link.await(f, operation));
      }
    }
    return out;
  }
}
