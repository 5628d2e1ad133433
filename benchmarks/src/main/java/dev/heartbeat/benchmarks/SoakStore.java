package dev.heartbeat.benchmarks;

import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.redis.RedisStore;
import dev.heartbeat.spi.HeartbeatStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The soak's store and what it measures of it beyond the engine: the memory store on the soak's
 * clock, or the Redis store on a fresh random prefix of {@value RedisFixture#URI} (opened with
 * {@code freshPrefixWithoutQuarantine()}, deleted at the end), whose keys under the prefix, their
 * {@code MEMORY USAGE} and the size of the lease registry are counted at each sample.
 */
abstract sealed class SoakStore implements AutoCloseable {
  /** The history kept per agent, the same on both stores. */
  static final int HISTORY_LIMIT = 10;

  abstract HeartbeatStore store();

  /** The extra columns' titles, each starting with {@code " | "}. */
  abstract String header();

  /** The extra columns' values at this sample. */
  abstract String sample();

  @Override
  public abstract void close();

  /** The store named {@code kind} ({@code memory} or {@code redis}). */
  static SoakStore of(String kind, SoakClock clock) {
    return switch (kind) {
      case "memory" -> new Memory(clock);
      case "redis" -> new Redis();
      default -> throw new IllegalArgumentException("--store must be memory or redis, not '"
          + kind + "'");
    };
  }

  static final class Memory extends SoakStore {
    private final MemoryStore store;

    Memory(SoakClock clock) {
      this.store = new MemoryStore(clock, HISTORY_LIMIT);
    }

    @Override
    HeartbeatStore store() {
      return store;
    }

    @Override
    String header() {
      return "";
    }

    @Override
    String sample() {
      return "";
    }

    @Override
    public void close() {
      store.close();
    }
  }

  static final class Redis extends SoakStore {
    private final String prefix = "soak-" + UUID.randomUUID().toString().substring(0, 8);
    private final RedisClient client = RedisClient.create(RedisFixture.URI);
    private final StatefulRedisConnection<String, String> raw = client.connect();
    private final RedisStore store = RedisStore.builder(client).keyPrefix(prefix)
        .historyLimit(HISTORY_LIMIT).freshPrefixWithoutQuarantine().build();

    @Override
    HeartbeatStore store() {
      return store;
    }

    @Override
    String header() {
      return " | Redis keys under the prefix | their MEMORY USAGE (MiB) | lease registry";
    }

    /** SCANs the prefix's keys and sums their MEMORY USAGE, pipelined 1,000 at a time. */
    @Override
    String sample() {
      var sync = raw.sync();
      var async = raw.async();
      long keys = 0;
      long bytes = 0;
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        var page = sync.scan(cursor, ScanArgs.Builder.matches("*" + prefix + ":*").limit(1000));
        List<RedisFuture<Long>> sizes = new ArrayList<>(page.getKeys().size());
        for (String key : page.getKeys()) {
          sizes.add(async.memoryUsage(key));
        }
        for (RedisFuture<Long> size : sizes) {
          try {
            Long b = size.get(30, TimeUnit.SECONDS);
            if (b != null) { // gone since the SCAN (forgotten)
              keys++;
              bytes += b;
            }
          } catch (Exception e) {
            throw new IllegalStateException("MEMORY USAGE failed", e);
          }
        }
        cursor = page;
      } while (!cursor.isFinished());
      return String.format(Locale.ROOT, " | %d | %.1f | %d", keys, bytes / 1048576.0,
          sync.scard(prefix + ":leases"));
    }

    @Override
    public void close() {
      try {
        store.close();
        RedisFixture.deleteKeys(raw.sync(), "*" + prefix + ":*");
      } finally {
        raw.close();
        client.shutdown();
      }
    }
  }
}
