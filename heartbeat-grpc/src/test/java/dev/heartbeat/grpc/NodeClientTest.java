package dev.heartbeat.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.core.MemoryStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Node agent ({@code @grpc/grpc-js}, {@code @grpc/proto-loader}, the module's .proto) beats
 * and takes a lease through the server; the store then holds what it sent. Prints the beat round trip. Needs npm
 * and node: fails (never skips) without them.
 */
class NodeClientTest {
  private static final Path MODULE = NodeProcesses.MODULE;
  private static final int BEATS = 200;

  @Test
  void aNodeAgentBeatsThroughTheServerAndTheStoreHoldsItsState() throws Exception {
    NodeProcesses.installClientLibraries();
    try (MemoryStore store = new MemoryStore();
        HeartbeatGrpcServer server = HeartbeatGrpcServer.start(store, 0)) {
      String output = NodeProcesses.run(List.of("node",
          MODULE.resolve("src/test/node/beat.js").toString(),
          MODULE.resolve("src/main/proto/heartbeat/v1/heartbeat.proto").toString(),
          "127.0.0.1:" + server.port(), "node-agent", String.valueOf(BEATS)), 120);
      System.out.println("[node client] " + output.strip());
      Heartbeat agent = store.agent("node-agent").orElseThrow();
      assertThat(agent.incarnation()).isEqualTo("node-1");
      assertThat(agent.sequence()).as("200 unary beats and 3 on the stream").isEqualTo(BEATS + 3);
      assertThat(agent.status()).isEqualTo(AgentStatus.WORKING);
      assertThat(agent.taskId()).contains("job-7");
      assertThat(agent.cpu().getAsDouble()).isEqualTo(0.5);
      assertThat(store.events("node-agent", 1).getFirst().progress())
          .contains("step " + BEATS);
      assertThat(output).contains("beat round trip over " + BEATS + " beats");
      assertThat(store.lease("node-lease").orElseThrow().holder()).isEqualTo("node-agent");
      assertThat(output).contains("lease node-lease token "
          + store.lease("node-lease").orElseThrow().token());
    }
  }
}
