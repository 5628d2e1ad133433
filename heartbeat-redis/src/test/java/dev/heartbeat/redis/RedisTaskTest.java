package dev.heartbeat.redis;

import dev.heartbeat.tck.StoreHarness;
import dev.heartbeat.tck.TaskContract;

/** The kit's task contract on the Redis at 127.0.0.1:6379, its clock pinned to the test's. */
class RedisTaskTest extends TaskContract {
  @Override
  protected StoreHarness harness() {
    return RedisHarness.INSTANCE.pinned();
  }
}
