package dev.heartbeat.grpc;

import dev.heartbeat.grpc.v1.AgentStatus;
import dev.heartbeat.grpc.v1.BeatRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

/** Raw channels and messages for the tests that speak the wire themselves. */
final class Wire {
  private Wire() {}

  /** A plaintext channel to {@code 127.0.0.1:port}, which the caller shuts down. */
  static ManagedChannel plaintext(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  /** A valid beat of {@code agentId}, sequence {@code seq}. */
  static BeatRequest beat(String agentId, long seq) {
    return BeatRequest.newBuilder().setAgentId(agentId).setIncarnation("i-1").setSequence(seq)
        .setStatus(AgentStatus.IDLE).build();
  }
}
