package dev.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.Lease;
import dev.heartbeat.file.FileStore;
import dev.heartbeat.monitor.StatusJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar as a user runs it, in processes of its own: {@code demo} with every member in
 * its own JVM (killed with SIGKILL), {@code status --json} against records written through the
 * library, and the {@code bin/heartbeat} launcher. Runs in {@code integration-test}, after
 * {@code package} has built the jar.
 */
class DemoJarIT {
  private static final Path JAR = Path.of(System.getProperty("heartbeat.jar",
      "target/heartbeat-cli.jar"));
  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
  @TempDir
  Path dir;

  /** Exit code and output of one process. */
  record Ran(int code, String out) {}

  private Ran run(Map<String, String> env, Duration limit, String... command)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir, "out", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("still running after " + limit + ":\n" + Files.readString(log));
    }
    return new Ran(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private Ran jar(Duration limit, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    return run(Map.of(), limit, command.toArray(String[]::new));
  }

  @Test
  void demoInChildJvmsEndsByItselfWithAFailoverToAHigherToken() throws Exception {
    assertThat(JAR).exists();
    Ran r = jar(Duration.ofSeconds(150), "demo");
    DemoAssertions.assertFailoverShown(r.code(), r.out());
    assertThat(r.out()).contains("each in its own JVM").doesNotContain("Exception");
  }

  @Test
  void statusJsonOfTheJarMatchesWhatWasStored() throws Exception {
    Heartbeat stored;
    Lease lease;
    try (FileStore store = FileStore.open(dir.resolve("store"))) {
      Records.agent(store, "worker-1", "task-1", 3);
      lease = store.tryAcquire("orchestrator", "candidate-1", Duration.ofHours(1)).orElseThrow();
      stored = store.agent("worker-1").orElseThrow();
    }
    Ran r = jar(Duration.ofSeconds(60), "status", "--store", "file:" + dir.resolve("store"),
        "--json", "--suspect-after", "1h", "--dead-after", "2h", "--stall-after", "1h");
    assertThat(r.code()).as(r.out()).isZero();
    JsonNode doc = new ObjectMapper().readTree(r.out());
    assertThat(doc.get("format").asText()).isEqualTo(StatusJson.FORMAT);
    JsonNode agent = doc.get("agents").get(0);
    assertThat(agent.get("id").asText()).isEqualTo(stored.agentId());
    assertThat(agent.get("incarnation").asText()).isEqualTo(stored.incarnation());
    assertThat(agent.get("sequence").asLong()).isEqualTo(stored.sequence());
    assertThat(agent.get("task").asText()).isEqualTo(stored.taskId().orElseThrow());
    assertThat(agent.get("progress").asText()).isEqualTo(stored.progress().orElseThrow());
    assertThat(Instant.parse(agent.get("lastBeatAt").asText())).isEqualTo(stored.at());
    JsonNode l = doc.get("leases").get(0);
    assertThat(l.get("holder").asText()).isEqualTo(lease.holder());
    assertThat(l.get("token").asLong()).isEqualTo(lease.token());
    assertThat(Instant.parse(l.get("acquiredAt").asText())).isEqualTo(lease.acquiredAt());
  }

  @Test
  void launcherRunsTheJarAndRefusesAJavaOlderThan21() throws Exception {
    Path bin = dir.resolve("bin");
    Files.createDirectories(bin);
    Files.copy(Path.of("bin", "heartbeat"), bin.resolve("heartbeat"));
    Files.copy(JAR, bin.resolve(JAR.getFileName()));
    String javaHome = System.getProperty("java.home");
    Ran ok = run(Map.of("JAVA_HOME", javaHome), Duration.ofSeconds(60), "sh",
        bin.resolve("heartbeat").toString(), "--version");
    assertThat(ok.code()).as(ok.out()).isZero();
    assertThat(ok.out()).startsWith("heartbeat 0.");
    Path old = dir.resolve("jdk17");
    Files.createDirectories(old.resolve("bin"));
    Path fake = old.resolve("bin").resolve("java");
    Files.writeString(fake, "#!/bin/sh\necho 'openjdk version \"17.0.2\" 2022-01-18' >&2\n");
    assertThat(fake.toFile().setExecutable(true)).isTrue();
    Ran refused = run(Map.of("JAVA_HOME", old.toString()), Duration.ofSeconds(30), "sh",
        bin.resolve("heartbeat").toString(), "--version");
    assertThat(refused.code()).isEqualTo(70);
    assertThat(refused.out()).contains("needs Java 21 or newer").contains("Java 17");
  }
}
