package dev.heartbeat.redis;

import dev.heartbeat.tck.LeaseLinearizabilityProperties;
import dev.heartbeat.tck.StoreHarness;

/** The kit's concurrent lease histories, checked for linearizability, on the Redis at 127.0.0.1:6379. */
class RedisLeaseLinearizabilityProperties extends LeaseLinearizabilityProperties {
  @Override
  protected StoreHarness harness() {
    return RedisHarness.INSTANCE;
  }
}
