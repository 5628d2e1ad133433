package dev.heartbeat.grpc;

import dev.heartbeat.tck.ElectionContract;
import dev.heartbeat.tck.StoreHarness;

class GrpcElectionTest extends ElectionContract {
  @Override
  protected StoreHarness harness() {
    return GrpcHarness.INSTANCE;
  }
}
