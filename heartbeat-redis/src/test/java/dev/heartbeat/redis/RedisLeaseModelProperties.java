package dev.heartbeat.redis;

import dev.heartbeat.tck.LeaseModelProperties;
import dev.heartbeat.tck.StoreHarness;

/** The kit's jqwik lease model on the Redis at 127.0.0.1:6379. */
class RedisLeaseModelProperties extends LeaseModelProperties {
  @Override
  protected StoreHarness harness() {
    return RedisHarness.INSTANCE;
  }
}
