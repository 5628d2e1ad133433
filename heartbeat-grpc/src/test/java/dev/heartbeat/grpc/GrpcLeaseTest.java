package dev.heartbeat.grpc;

import dev.heartbeat.tck.LeaseContract;
import dev.heartbeat.tck.StoreHarness;

class GrpcLeaseTest extends LeaseContract {
  @Override
  protected StoreHarness harness() {
    return GrpcHarness.INSTANCE;
  }
}
