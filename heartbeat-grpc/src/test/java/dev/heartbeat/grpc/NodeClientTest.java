package dev.heartbeat.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.core.MemoryStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Node agent ({@code @grpc/grpc-js}, {@code @grpc/proto-loader}, the module's .proto) beats
 * and takes a lease through the server; the store then holds what it sent. Prints the beat round trip. Needs npm
 * and node: fails (never skips) without them.
 */
class NodeClientTest {
  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path NODE_DIR = MODULE.resolve("target/node-client");
  private static final int BEATS = 200;

  @Test
  void aNodeAgentBeatsThroughTheServerAndTheStoreHoldsItsState() throws Exception {
    installClientLibraries();
    try (MemoryStore store = new MemoryStore();
        HeartbeatGrpcServer server = HeartbeatGrpcServer.start(store, 0)) {
      String output = run(List.of("node", MODULE.resolve("src/test/node/beat.js").toString(),
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

  /** npm installs the two packages into target/node-client once; a missing npm fails here. */
  private static void installClientLibraries() throws Exception {
    if (Files.isDirectory(NODE_DIR.resolve("node_modules/@grpc/grpc-js"))
        && Files.isDirectory(NODE_DIR.resolve("node_modules/@grpc/proto-loader"))) {
      return;
    }
    Files.createDirectories(NODE_DIR);
    Files.writeString(NODE_DIR.resolve("package.json"),
        "{\"name\":\"heartbeat-node-client-test\",\"private\":true}\n");
    run(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", NODE_DIR.toString(),
        "@grpc/grpc-js@1", "@grpc/proto-loader@0.7"), 300);
  }

  private static String run(List<String> command, int seconds) throws Exception {
    Path log = Files.createTempFile(Files.createDirectories(NODE_DIR), "run", ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("NODE_PATH", NODE_DIR.resolve("node_modules").toString());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new AssertionError(command.getFirst() + " is needed for this test and could not be "
          + "started: " + e.getMessage(), e);
    }
    p.getOutputStream().close();
    boolean finished = p.waitFor(seconds, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly();
    }
    String text = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(finished).as("%s finished within %d s; output:%n%s", command, seconds, text)
        .isTrue();
    assertThat(p.exitValue()).as("%s exited 0; output:%n%s", command, text).isZero();
    return text;
  }
}
