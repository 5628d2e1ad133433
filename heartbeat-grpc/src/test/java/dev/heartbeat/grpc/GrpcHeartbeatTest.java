package dev.heartbeat.grpc;

import dev.heartbeat.tck.HeartbeatContract;
import dev.heartbeat.tck.StoreHarness;

class GrpcHeartbeatTest extends HeartbeatContract {
  @Override
  protected StoreHarness harness() {
    return GrpcHarness.INSTANCE;
  }
}
