package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.Attempt;
import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.ProcessFailedException;
import dev.heartbeat.ProcessTaskHandler;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.tck.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The child-process handler through a real worker on the memory store, with real child processes
 * ({@code sh}). The worker's clock is the test's; the children run in real time, so the test waits
 * for what a child did (a file it wrote, a state the store shows) in real time, with generous
 * bounds, and moves the clock only for what the worker decides on it (renewals, timeouts).
 */
class ProcessTaskHandlerTest {
  @TempDir
  Path dir;
  /** The processes a test saw, killed after it should it fail before they are gone. */
  private final List<ProcessHandle> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

  @AfterEach
  void killLeftovers() {
    seen.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static ProcessTaskHandler.Builder sh(String script) {
    return ProcessTaskHandler.builder("sh", "-c", script);
  }

  private static Attempt last(TaskView t) {
    return t.attempts().getLast();
  }

  @Test
  void theChildReadsThePayloadAndTheAttemptFromItsEnvironmentAndItsOutputIsTheResult() {
    try (TaskRig rig = new TaskRig()) {
      rig.queue.submit(TaskSpec.of("t1", "the payload"));
      TaskWorkerImpl w = rig.worker("w1", 1, sh("""
          echo "$HEARTBEAT_QUEUE/$HEARTBEAT_TASK_ID token=$HEARTBEAT_TASK_TOKEN \
          attempt=$HEARTBEAT_ATTEMPT left=$HEARTBEAT_TIME_LEFT_MS"
          echo '##heartbeat progress not part of the output'
          cat""").build());
      rig.until("claimed", 30, () -> w.stats().claimed() == 1);
      Await.until("done", () -> rig.is("t1", TaskState.DONE));
      TaskView t = rig.task("t1");
      assertThat(t.output()).contains("q/t1 token=" + last(t).token() + " attempt=1 left="
          + Duration.ofMinutes(30).toMillis() + "\nthe payload");
    }
  }

  @Test
  void aFailingExitFailsTheAttemptWithItsCodeAndTheTailOfStandardError() {
    try (TaskRig rig = new TaskRig()) {
      rig.queue.submit(TaskSpec.of("t1", "").maxAttempts(1));
      rig.worker("w1", 1, sh("""
          head -c 100000 /dev/zero | tr '\\0' x >&2
          echo >&2
          echo 'bad input on line 7' >&2
          exit 3""").tail(1000).build());
      rig.until("claimed", 30, () -> rig.task("t1").attempts().size() == 1);
      Await.until("blocked", () -> rig.is("t1", TaskState.BLOCKED));
      Attempt a = last(rig.task("t1"));
      assertThat(a.outcome()).contains(AttemptOutcome.FAILED);
      assertThat(a.errorClass()).contains(ProcessFailedException.class.getName());
      assertThat(a.message().orElseThrow()).contains("sh exited with code 3")
          .contains("bad input on line 7").hasSizeLessThan(1200);
      assertThat(rig.task("t1").reason().orElseThrow()).contains("sh exited with code 3");
    }
  }

  @Test
  void aBlockedExitCodeBlocksTheTaskWithTheLastLineOfStandardError() {
    try (TaskRig rig = new TaskRig()) {
      rig.queue.submit(TaskSpec.of("t1", ""));
      rig.worker("w1", 1, sh("echo 'reading' >&2; echo 'schema v9 is unknown' >&2; exit 2")
          .blockedExitCodes(2).build());
      rig.until("claimed", 30, () -> rig.task("t1").attempts().size() == 1);
      Await.until("blocked", () -> rig.is("t1", TaskState.BLOCKED));
      assertThat(rig.task("t1").reason()).contains("exit code 2: schema v9 is unknown");
      assertThat(rig.task("t1").attempts()).hasSize(1);
    }
  }

  @Test
  void aTimeoutStopsTheChildAndEveryProcessBelowItEvenOneThatIgnoresTheRequest()
      throws Exception {
    Path pids = dir.resolve("pids");
    try (TaskRig rig = new TaskRig()) {
      rig.queue.submit(TaskSpec.of("t1", "").attemptTimeout(Duration.ofSeconds(10))
          .maxAttempts(1));
      rig.worker("w1", 1, sh("trap '' TERM; sleep 600 & echo \"$$ $!\" > '" + pids + ".tmp'; mv '"
          + pids + ".tmp' '" + pids + "'; wait").killGrace(Duration.ofMillis(300)).build());
      rig.until("claimed", 30, () -> rig.task("t1").attempts().size() == 1);
      List<ProcessHandle> tree = tree(pids);
      assertThat(tree).allMatch(ProcessHandle::isAlive);
      for (int s = 0; s < 11; s++) {
        rig.step(Duration.ofSeconds(1));
      }
      Await.until("blocked", () -> rig.is("t1", TaskState.BLOCKED));
      assertThat(last(rig.task("t1")).outcome()).contains(AttemptOutcome.TIMED_OUT);
      Await.until("the child and its child are gone", () -> tree.stream()
          .noneMatch(ProcessHandle::isAlive));
    }
  }

  @Test
  void aCancelStopsTheChildAndItsChildren() throws Exception {
    Path pids = dir.resolve("pids");
    try (TaskRig rig = new TaskRig()) {
      rig.queue.submit(TaskSpec.of("t1", ""));
      rig.worker("w1", 1, sh("sleep 600 & echo \"$$ $!\" > '" + pids + ".tmp'; mv '" + pids
          + ".tmp' '" + pids + "'; wait").build());
      rig.until("claimed", 30, () -> rig.task("t1").attempts().size() == 1);
      List<ProcessHandle> tree = tree(pids);
      assertThat(rig.queue.cancel("t1")).isPresent();
      for (int s = 0; s < 2; s++) { // the cancel is heard with the next renewal
        rig.step(Duration.ofSeconds(1));
      }
      Await.until("cancelled", () -> rig.is("t1", TaskState.CANCELLED));
      assertThat(last(rig.task("t1")).outcome()).contains(AttemptOutcome.CANCELLED);
      Await.until("the child and its child are gone", () -> tree.stream()
          .noneMatch(ProcessHandle::isAlive));
    }
  }

  @Test
  void aLostClaimStopsTheChildAndItsChildren() throws Exception {
    Path pids = dir.resolve("pids");
    try (TaskRig rig = new TaskRig()) {
      rig.queue.submit(TaskSpec.of("t1", ""));
      TaskWorkerImpl w = rig.worker("w1", 1, sh("sleep 600 & echo \"$$ $!\" > '" + pids
          + ".tmp'; mv '" + pids + ".tmp' '" + pids + "'; wait").build());
      rig.until("claimed", 30, () -> rig.task("t1").attempts().size() == 1);
      List<ProcessHandle> tree = tree(pids);
      rig.link.renewalsLost = true; // the store says the claim is gone
      rig.until("fenced out", 5, () -> w.stats().fencedOut() == 1);
      Await.until("the child and its child are gone", () -> tree.stream()
          .noneMatch(ProcessHandle::isAlive));
    }
  }

  @Test
  void aCheckpointTheChildSavesReachesTheNextAttemptInAFile() throws Exception {
    Path go = dir.resolve("go");
    try (TaskRig rig = new TaskRig()) {
      rig.queue.submit(TaskSpec.of("t1", ""));
      TaskWorkerImpl w = rig.worker("w1", 1, sh("""
          if [ -n "$HEARTBEAT_CHECKPOINT_FILE" ]; then
            echo "resumed from $(cat "$HEARTBEAT_CHECKPOINT_FILE")"; exit 0
          fi
          echo '##heartbeat checkpoint {"page":3}'
          echo '##heartbeat progress page 3 of 9'
          while [ ! -e '%s' ]; do sleep 0.02; done
          exit 1""".formatted(go)).build());
      rig.until("claimed", 30, () -> w.stats().claimed() == 1);
      // the lines are read in order: once the progress line is, the checkpoint waits to be sent
      Await.until("the child's lines read", () ->
          w.agent().beat().progress().equals(Optional.of("page 3 of 9")));
      rig.until("the checkpoint stored", 10, () -> rig.task("t1").checkpoint().isPresent());
      assertThat(rig.task("t1").checkpoint()).contains("{\"page\":3}");
      assertThat(rig.task("t1").progress()).contains("page 3 of 9");
      Files.createFile(go);
      Await.until("the first attempt failed", () -> rig.task("t1").failures() == 1);
      rig.until("claimed again", 30, () -> w.stats().claimed() == 2);
      Await.until("done", () -> rig.is("t1", TaskState.DONE));
      assertThat(rig.task("t1").output()).contains("resumed from {\"page\":3}\n");
    }
  }

  @Test
  void badSettingsAreRefusedNamingTheParameterAndTheValue() {
    assertThatThrownBy(() -> ProcessTaskHandler.builder()).hasMessageContaining("command")
        .hasMessageContaining("[]");
    assertThatThrownBy(() -> ProcessTaskHandler.builder(" ", "x"))
        .hasMessageContaining("command[0]");
    assertThatThrownBy(() -> ProcessTaskHandler.builder(Arrays.asList("sh", null)))
        .hasMessageContaining("command[1]").hasMessageContaining("null");
    assertThatThrownBy(() -> sh("true").tail(0)).hasMessageContaining("tail")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> sh("true").blockedExitCodes(0))
        .hasMessageContaining("blockedExitCodes").hasMessageContaining("0");
    assertThatThrownBy(() -> sh("true").killGrace(Duration.ofSeconds(-1)))
        .hasMessageContaining("killGrace").hasMessageContaining("PT-1S");
    assertThatThrownBy(() -> sh("true").environment("A=B", "x"))
        .hasMessageContaining("environment name").hasMessageContaining("A=B");
  }

  @Test
  void aCommandThatCannotStartFailsTheAttemptSayingWhy() {
    try (TaskRig rig = new TaskRig()) {
      rig.queue.submit(TaskSpec.of("t1", "").maxAttempts(1));
      rig.worker("w1", 1, ProcessTaskHandler.builder("/nonexistent/heartbeat-child").build());
      rig.until("claimed", 30, () -> rig.task("t1").attempts().size() == 1);
      Await.until("blocked", () -> rig.is("t1", TaskState.BLOCKED));
      assertThat(last(rig.task("t1")).message().orElseThrow())
          .contains("cannot start [/nonexistent/heartbeat-child]");
    }
  }

  /** The child's and its child's processes, from the file the child wrote. */
  private List<ProcessHandle> tree(Path pids) throws Exception {
    Await.until("the child wrote its pids", () -> Files.exists(pids));
    List<ProcessHandle> tree = Arrays.stream(Files.readString(pids).trim().split(" "))
        .map(p -> ProcessHandle.of(Long.parseLong(p)).orElseThrow()).toList();
    seen.addAll(tree);
    return tree;
  }
}
