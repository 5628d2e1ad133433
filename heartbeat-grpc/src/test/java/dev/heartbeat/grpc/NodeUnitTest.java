package dev.heartbeat.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Node package's own tests ({@code node --test clients/node/test/}: 64-bit tokens, backoff,
 * option checks, the README's blocks), so that the Maven build and CI run them. Fails (never
 * skips) without node and npm.
 */
class NodeUnitTest {
  @Test
  void theNodeClientsUnitTestsPass() throws Exception {
    NodeProcesses.installClientLibraries();
    String output = NodeProcesses.run(List.of("node", "--test",
        NodeProcesses.CLIENT.resolve("test").toString() + "/"), 120);
    System.out.println("[node --test] " + output.strip());
    Matcher pass = Pattern.compile("(?m)^# pass (\\d+)$").matcher(output);
    assertThat(pass.find()).as("a pass count in:%n%s", output).isTrue();
    assertThat(Integer.parseInt(pass.group(1))).as("tests passed").isGreaterThanOrEqualTo(10);
    assertThat(output).contains("# fail 0");
  }
}
