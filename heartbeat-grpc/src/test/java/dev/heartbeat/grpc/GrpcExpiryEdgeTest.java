package dev.heartbeat.grpc;

import dev.heartbeat.tck.DelayedCommitHarness;
import dev.heartbeat.tck.ExpiryEdgeContract;

class GrpcExpiryEdgeTest extends ExpiryEdgeContract {
  @Override
  protected DelayedCommitHarness harness() {
    return GrpcHarness.INSTANCE;
  }
}
