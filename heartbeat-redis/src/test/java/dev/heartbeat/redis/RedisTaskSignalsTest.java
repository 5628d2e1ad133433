package dev.heartbeat.redis;

import dev.heartbeat.tck.StoreHarness;
import dev.heartbeat.tck.TaskSignalsContract;

/**
 * The kit's signals contract on the Redis at 127.0.0.1:6379 (sharded pub/sub on a single
 * server), its clock pinned to the test's.
 */
class RedisTaskSignalsTest extends TaskSignalsContract {
  @Override
  protected StoreHarness harness() {
    return RedisHarness.INSTANCE.pinned();
  }
}
