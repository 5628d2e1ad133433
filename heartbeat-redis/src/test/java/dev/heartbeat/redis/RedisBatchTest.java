package dev.heartbeat.redis;

import dev.heartbeat.tck.BatchContract;
import dev.heartbeat.tck.StoreHarness;

/** The kit's batch contract on the Redis at 127.0.0.1:6379. */
class RedisBatchTest extends BatchContract {
  @Override
  protected StoreHarness harness() {
    return RedisHarness.INSTANCE;
  }
}
