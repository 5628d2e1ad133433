package dev.heartbeat.redis;

import dev.heartbeat.tck.LeaseContract;
import dev.heartbeat.tck.StoreHarness;

/** The kit's lease contract on the Redis at 127.0.0.1:6379. */
class RedisLeaseTest extends LeaseContract {
  @Override
  protected StoreHarness harness() {
    return RedisHarness.INSTANCE;
  }
}
