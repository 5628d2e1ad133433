package dev.heartbeat.redis;

import dev.heartbeat.tck.CorruptRecordContract;
import dev.heartbeat.tck.StoreHarness;

/** The kit's corrupt-record contract on the Redis at 127.0.0.1:6379. */
class RedisCorruptRecordTest extends CorruptRecordContract {
  @Override
  protected StoreHarness harness() {
    return RedisHarness.INSTANCE;
  }
}
