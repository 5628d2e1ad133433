package dev.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.file.FileStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo} in this JVM (members on their own {@code Heartbeats}, killed by cutting their
 * store calls) on the file store and on {@code memory:}. The demo runs in real time: these tests
 * assert its outcomes, with the bounds of the demo itself. The child-JVM mode is run by
 * {@code DemoJarIT}.
 */
class DemoCommandTest {
  @TempDir
  Path dir;

  @Test
  @Timeout(120)
  void onTheFileStoreTheFailoverDeathAndStallAreShownAndTheOthersLeaveGracefully() {
    CliRun r = CliRun.run(Map.of(), d -> Thread.sleep(d), false, "demo", "--store",
        "file:" + dir, "--nodes", "thread");
    DemoAssertions.assertFailoverShown(r.code(), r.out());
    assertThat(r.out()).contains("each on its own Heartbeats in this JVM");
    try (FileStore store = FileStore.open(dir)) {
      List<Heartbeat> agents = store.agents();
      assertThat(agents).extracting(Heartbeat::agentId)
          .allMatch(id -> id.matches("demo-[0-9a-f]{4}-worker-[123]")).hasSize(3);
      assertThat(agents).filteredOn(h -> h.agentId().endsWith("worker-3"))
          .extracting(Heartbeat::status).containsExactly(AgentStatus.WORKING);
      assertThat(agents).filteredOn(h -> !h.agentId().endsWith("worker-3"))
          .extracting(Heartbeat::status).containsOnly(AgentStatus.LEFT);
      assertThat(store.leases()).as("the new leader resigned and released the lease")
          .allMatch(l -> l.expiredAt(store.now()));
    }
  }

  @Test
  @Timeout(120)
  void onMemoryTheMembersRunInThisJvmEvenWhenProcessesWereAsked() {
    CliRun r = CliRun.run(Map.of(), d -> Thread.sleep(d), false, "demo", "--store", "memory:");
    DemoAssertions.assertFailoverShown(r.code(), r.out());
    assertThat(r.out()).contains("(memory: cannot be shared between processes)")
        .contains("lease 'orchestrator'");
  }
}
