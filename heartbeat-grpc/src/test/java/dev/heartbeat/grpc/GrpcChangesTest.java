package dev.heartbeat.grpc;

import dev.heartbeat.tck.ChangesContract;
import dev.heartbeat.tck.StoreHarness;

/** The kit's incremental read through the gRPC store, which answers every read in full. */
class GrpcChangesTest extends ChangesContract {
  @Override
  protected StoreHarness harness() {
    return GrpcHarness.INSTANCE;
  }
}
