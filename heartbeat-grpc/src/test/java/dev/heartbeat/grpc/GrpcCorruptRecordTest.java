package dev.heartbeat.grpc;

import dev.heartbeat.tck.CorruptRecordContract;
import dev.heartbeat.tck.StoreHarness;

class GrpcCorruptRecordTest extends CorruptRecordContract {
  @Override
  protected StoreHarness harness() {
    return GrpcHarness.INSTANCE;
  }
}
