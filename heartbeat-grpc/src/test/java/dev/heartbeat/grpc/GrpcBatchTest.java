package dev.heartbeat.grpc;

import dev.heartbeat.tck.BatchContract;
import dev.heartbeat.tck.StoreHarness;

class GrpcBatchTest extends BatchContract {
  @Override
  protected StoreHarness harness() {
    return GrpcHarness.INSTANCE;
  }
}
