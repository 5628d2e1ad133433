package dev.heartbeat.redis;

import dev.heartbeat.tck.StoreHarness;
import dev.heartbeat.tck.TaskModelProperties;

/** The kit's jqwik task model on the Redis at 127.0.0.1:6379, its clock pinned to the test's. */
class RedisTaskModelProperties extends TaskModelProperties {
  @Override
  protected StoreHarness harness() {
    return RedisHarness.INSTANCE.pinned();
  }
}
