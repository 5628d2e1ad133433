/**
 * heartbeat over gRPC: {@link dev.heartbeat.grpc.HeartbeatGrpcServer} serves any store as
 * {@code heartbeat.v1.HeartbeatService}; {@link dev.heartbeat.grpc.GrpcStore} is the
 * {@code grpc://host:port} store that forwards the whole SPI to it. The gRPC and protobuf jars
 * are automatic modules (named by their manifests).
 */
module dev.heartbeat.grpc {
  requires transitive dev.heartbeat;
  requires transitive io.grpc;
  requires transitive io.grpc.stub;
  requires transitive com.google.protobuf;
  requires io.grpc.protobuf;
  requires io.grpc.netty.shaded;
  requires transitive com.google.common; // the exported future stubs answer ListenableFuture
  requires org.slf4j;

  exports dev.heartbeat.grpc;
  exports dev.heartbeat.grpc.v1;

  provides dev.heartbeat.spi.HeartbeatStoreProvider with dev.heartbeat.grpc.GrpcStoreProvider;
}
