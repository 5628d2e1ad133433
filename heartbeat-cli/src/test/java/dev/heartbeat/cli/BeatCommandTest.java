package dev.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.file.FileStore;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code beat} on the file store: one beat through record(), clear refusals. */
class BeatCommandTest {
  @TempDir
  Path dir;

  @BeforeEach
  void registerWorker() {
    try (FileStore store = FileStore.open(dir)) {
      Records.agent(store, "worker-1", "task-1", 1);
    }
  }

  private String uri() {
    return "file:" + dir;
  }

  private Heartbeat stored(String agent) {
    try (FileStore store = FileStore.open(dir)) {
      return store.agent(agent).orElseThrow();
    }
  }

  @Test
  void beatWithNewTaskAndProgressIsStoredAsARunOfItsOwn() {
    Heartbeat before = stored("worker-1");
    CliRun r = CliRun.run("beat", "--store", uri(), "--agent", "worker-1", "--task", "task-2",
        "--progress", "half way");
    assertThat(r.code()).as(r.both()).isZero();
    Heartbeat after = stored("worker-1");
    assertThat(after.incarnation()).as("never the agent's own sequence space")
        .isEqualTo(BeatCommand.INCARNATION).isNotEqualTo(before.incarnation());
    assertThat(after.sequence()).isEqualTo(1);
    assertThat(after.taskId()).contains("task-2");
    assertThat(after.progress()).contains("half way");
    assertThat(after.status()).isEqualTo(AgentStatus.WORKING);
    assertThat(after.progressAt()).contains(after.at());
    assertThat(r.out()).contains("stored beat of worker-1")
        .containsPattern("sequence\\s+" + after.sequence())
        .containsPattern("progress\\s+half way").contains(after.at().toString());
    try (FileStore store = FileStore.open(dir)) {
      assertThat(store.events("worker-1", 1).get(0).progress()).contains("half way");
    }
  }

  @Test
  void aSecondBeatContinuesTheCommandsRunAndTheAgentsProcessCannotCollideWithIt() {
    Heartbeat agents = stored("worker-1");
    assertThat(CliRun.run("beat", "--store", uri(), "--agent", "worker-1").code()).isZero();
    CliRun r = CliRun.run("beat", "--store", uri(), "--agent", "worker-1");
    assertThat(r.code()).as(r.both()).isZero();
    assertThat(stored("worker-1").incarnation()).isEqualTo(BeatCommand.INCARNATION);
    assertThat(stored("worker-1").sequence()).isEqualTo(2);
    try (FileStore store = FileStore.open(dir)) {
      // the agent's process sends its next beat: it cannot overwrite the command's run by
      // accident (other incarnation); its engine registers again, visibly
      var late = new dev.heartbeat.spi.Beat("worker-1", agents.incarnation(),
          agents.sequence() + 1, Optional.empty(), AgentStatus.IDLE, OptionalDouble.empty(),
          Optional.empty(), false, Optional.empty());
      assertThat(store.record(late)).get().extracting(Heartbeat::incarnation)
          .isEqualTo(BeatCommand.INCARNATION);
    }
  }

  @Test
  void beatWithoutOptionsKeepsTaskAndProgressAndRecordsNoNewProgress() {
    assertThat(CliRun.run("beat", "--store", uri(), "--agent", "worker-1").code()).isZero();
    Heartbeat before = stored("worker-1");
    CliRun r = CliRun.run("beat", "--store", uri(), "--agent", "worker-1");
    assertThat(r.code()).as(r.both()).isZero();
    Heartbeat after = stored("worker-1");
    assertThat(after.sequence()).isEqualTo(before.sequence() + 1);
    assertThat(after.taskId()).isEqualTo(before.taskId());
    assertThat(after.progress()).isEqualTo(before.progress());
    assertThat(after.progressAt()).isEqualTo(before.progressAt());
    assertThat(after.at()).isAfterOrEqualTo(before.at());
  }

  @Test
  void idleStatusDropsTheTask() {
    CliRun r = CliRun.run("beat", "--store", uri(), "--agent", "worker-1", "--status", "idle");
    assertThat(r.code()).as(r.both()).isZero();
    assertThat(stored("worker-1").status()).isEqualTo(AgentStatus.IDLE);
    assertThat(stored("worker-1").taskId()).isEmpty();
  }

  @Test
  void unknownAgentIsRefusedWithExitThreeAndNotRegistered() {
    CliRun r = CliRun.run("beat", "--store", uri(), "--agent", "ghost");
    assertThat(r.code()).as(r.both()).isEqualTo(3);
    assertThat(r.err()).startsWith("beat: agent 'ghost' is unknown to file:")
        .doesNotContain("Exception").doesNotContain("\tat ");
    try (FileStore store = FileStore.open(dir)) {
      assertThat(store.agent("ghost")).isEmpty();
    }
  }

  @Test
  void anAgentThatLeftIsRefusedAndStaysLeft() {
    CliRun leave = CliRun.run("beat", "--store", uri(), "--agent", "worker-1", "--status",
        "LEFT");
    assertThat(leave.code()).as(leave.both()).isZero();
    assertThat(stored("worker-1").status()).isEqualTo(AgentStatus.LEFT);
    long sequence = stored("worker-1").sequence();
    CliRun r = CliRun.run("beat", "--store", uri(), "--agent", "worker-1", "--task", "t");
    assertThat(r.code()).as(r.both()).isEqualTo(3);
    assertThat(r.err()).contains("agent 'worker-1' has left");
    assertThat(stored("worker-1").status()).isEqualTo(AgentStatus.LEFT);
    assertThat(stored("worker-1").sequence()).isEqualTo(sequence);
  }

  @Test
  void aStoreThatDoesNotExistIsNotCreated() {
    Path missing = dir.resolve("typo");
    CliRun r = CliRun.run("beat", "--store", "file:" + missing, "--agent", "worker-1");
    assertThat(r.code()).as(r.both()).isEqualTo(4);
    assertThat(r.err()).contains("does not exist");
    assertThat(missing).doesNotExist();
  }

  @Test
  void badArgumentsAreOneLineMessagesWithExitSixtyFour() {
    assertUsage(CliRun.run("beat", "--store", uri()), "Missing required option: '--agent=ID'");
    assertUsage(CliRun.run("beat", "--store", uri(), "--agent", "worker-1", "--status", "NAPPING"),
        "Invalid value for option '--status'");
    assertUsage(CliRun.run("beat", "--store", uri(), "--agent", " "), "--agent");
    assertUsage(CliRun.run("beat", "--store", uri(), "--agent", "worker-1", "--status", "IDLE",
        "--task", "t"), "--task needs --status WORKING");
    assertUsage(CliRun.run("beat", "--store", uri(), "--agent", "worker-1", "--progress",
        "bell\u0007"), "--progress");
    assertUsage(CliRun.run("beat", "--store", "ftp://x", "--agent", "worker-1"),
        "--store must start with file:, jdbc:, redis://, grpc:// or memory:");
    assertThat(stored("worker-1").sequence()).isEqualTo(2);
  }

  private static void assertUsage(CliRun r, String message) {
    assertThat(r.code()).as(r.both()).isEqualTo(64);
    assertThat(r.err()).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(r.out()).isEmpty();
  }
}
