package dev.heartbeat.redis;

import dev.heartbeat.tck.HeartbeatContract;
import dev.heartbeat.tck.StoreHarness;

/** The kit's heartbeat contract on the Redis at 127.0.0.1:6379. */
class RedisHeartbeatTest extends HeartbeatContract {
  @Override
  protected StoreHarness harness() {
    return RedisHarness.INSTANCE;
  }
}
