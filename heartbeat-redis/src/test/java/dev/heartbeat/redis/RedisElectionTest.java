package dev.heartbeat.redis;

import dev.heartbeat.tck.ElectionContract;
import dev.heartbeat.tck.StoreHarness;

/** The kit's election contract on the Redis at 127.0.0.1:6379. */
class RedisElectionTest extends ElectionContract {
  @Override
  protected StoreHarness harness() {
    return RedisHarness.INSTANCE;
  }
}
