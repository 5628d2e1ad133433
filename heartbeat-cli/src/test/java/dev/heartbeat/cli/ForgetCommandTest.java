package dev.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.file.FileStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code forget} on the file store: removes one agent, refuses the unknown, creates nothing. */
class ForgetCommandTest {
  @TempDir
  Path dir;

  @Test
  void forgetRemovesTheAgentAndKeepsTheOthers() {
    try (FileStore store = FileStore.open(dir)) {
      Records.agent(store, "old", "t", 2);
      Records.agent(store, "kept", "t", 2);
    }
    CliRun r = CliRun.run("forget", "--store", "file:" + dir, "--agent", "old");
    assertThat(r.code()).as(r.both()).isZero();
    assertThat(r.out()).contains("forgot agent old");
    try (FileStore store = FileStore.open(dir)) {
      assertThat(store.agent("old")).isEmpty();
      assertThat(store.history("old", 10)).isEmpty();
      assertThat(store.agent("kept")).isPresent();
    }
    CliRun again = CliRun.run("forget", "--store", "file:" + dir, "--agent", "old");
    assertThat(again.code()).as(again.both()).isEqualTo(3);
    assertThat(again.err()).contains("agent 'old' is unknown");
  }

  @Test
  void aStoreThatDoesNotExistIsNotCreated() {
    Path missing = dir.resolve("typo");
    CliRun r = CliRun.run("forget", "--store", "file:" + missing, "--agent", "old");
    assertThat(r.code()).as(r.both()).isEqualTo(4);
    assertThat(missing).doesNotExist();
  }

  @Test
  void aBadIdIsAUsageError() {
    CliRun r = CliRun.run("forget", "--store", "file:" + dir, "--agent", "bell\u0007");
    assertThat(r.code()).as(r.both()).isEqualTo(64);
    assertThat(r.err()).contains("--agent");
  }
}
