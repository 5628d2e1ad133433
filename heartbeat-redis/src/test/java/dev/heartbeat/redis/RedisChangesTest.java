package dev.heartbeat.redis;

import dev.heartbeat.tck.ChangesContract;
import dev.heartbeat.tck.StoreHarness;

/** The kit's incremental read on the Redis at 127.0.0.1:6379: the change index. */
class RedisChangesTest extends ChangesContract {
  @Override
  protected StoreHarness harness() {
    return RedisHarness.INSTANCE;
  }
}
