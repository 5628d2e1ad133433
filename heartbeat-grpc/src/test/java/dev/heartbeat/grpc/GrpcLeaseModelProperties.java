package dev.heartbeat.grpc;

import dev.heartbeat.tck.LeaseModelProperties;
import dev.heartbeat.tck.StoreHarness;

class GrpcLeaseModelProperties extends LeaseModelProperties {
  @Override
  protected StoreHarness harness() {
    return GrpcHarness.INSTANCE;
  }
}
