package dev.heartbeat.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/** Test clean-up: SCAN + UNLINK of every key that contains a test run's prefix. */
final class RedisKeys {
  private RedisKeys() {}

  /** Removes the keys of {@code run}; a cluster is torn down whole, so only single servers. */
  static long unlinkAll(AbstractRedisClient client, String run) {
    if (!(client instanceof RedisClient single)) {
      return 0;
    }
    long removed = 0;
    try (StatefulRedisConnection<String, String> conn = single.connect()) {
      RedisCommands<String, String> redis = conn.sync();
      ScanCursor cursor = ScanCursor.INITIAL;
      ScanArgs args = ScanArgs.Builder.matches("*" + run + "*").limit(1000);
      for (int round = 0; round < 100_000 && !cursor.isFinished(); round++) {
        KeyScanCursor<String> page = redis.scan(cursor, args);
        if (!page.getKeys().isEmpty()) {
          removed += redis.unlink(page.getKeys().toArray(String[]::new));
        }
        cursor = page;
      }
    }
    return removed;
  }
}
