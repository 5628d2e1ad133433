package dev.heartbeat.grpc;

import dev.heartbeat.tck.TaskModelProperties;
import dev.heartbeat.tck.StoreHarness;

class GrpcTaskModelProperties extends TaskModelProperties {
  @Override
  protected StoreHarness harness() {
    return GrpcHarness.INSTANCE;
  }
}
