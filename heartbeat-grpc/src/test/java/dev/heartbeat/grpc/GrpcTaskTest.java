package dev.heartbeat.grpc;

import dev.heartbeat.tck.TaskContract;
import dev.heartbeat.tck.StoreHarness;

class GrpcTaskTest extends TaskContract {
  @Override
  protected StoreHarness harness() {
    return GrpcHarness.INSTANCE;
  }
}
