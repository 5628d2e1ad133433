package dev.heartbeat.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.spi.TaskStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three JVMs ({@link TaskClaimChild}) claim one queue of the same directory at once: the queue's
 * OS file lock makes each claim atomic across processes, so every task is claimed exactly once,
 * each with a token of its own, and all end {@code DONE}. Claims last a minute, far longer than
 * the run, so no claim can expire and be taken over legitimately.
 */
class FileTaskProcessesTest {
  private static final int TASKS = 150;
  private static final int CHILDREN = 3;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void processesClaimingOneQueueNeverGetOneTaskTwice() throws Exception {
    Path dir = FileHarness.freshDirectory().toAbsolutePath();
    try (FileStore store = FileStore.builder(dir).lockTimeout(Duration.ofSeconds(60)).build()) {
      TaskStore tasks = store.tasks().orElseThrow();
      for (int i = 0; i < TASKS; i++) {
        tasks.submit(TaskClaimChild.QUEUE, TaskSpec.of("t" + i, ""));
      }
      List<Process> children = new ArrayList<>();
      String java = ProcessHandle.current().info().command().orElse("java");
      for (int c = 0; c < CHILDREN; c++) {
        children.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            TaskClaimChild.class.getName(), dir.toString(), "child-" + c)
            .redirectOutput(dir.resolve("child-" + c + ".out").toFile())
            .redirectError(dir.resolve("child-" + c + ".err").toFile()).start());
      }
      Map<String, Integer> claimedBy = new HashMap<>();
      Map<Long, String> tokens = new HashMap<>();
      for (int c = 0; c < CHILDREN; c++) {
        Process child = children.get(c);
        assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("child %d ends", c).isTrue();
        String err = Files.readString(dir.resolve("child-" + c + ".err"));
        assertThat(child.exitValue()).as("child %d: %s", c, err).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("child-" + c + ".out"));
        assertThat(lines).as("child %d", c).endsWith("DONE");
        for (String line : lines.subList(0, lines.size() - 1)) {
          String[] parts = line.split(" ");
          assertThat(claimedBy.put(parts[1], c)).as("%s claimed twice", parts[1]).isNull();
          assertThat(tokens.put(Long.parseLong(parts[2]), parts[1])).as("token of %s", line)
              .isNull();
        }
      }
      assertThat(claimedBy).hasSize(TASKS);
      assertThat(tasks.counts(TaskClaimChild.QUEUE).of(TaskState.DONE)).isEqualTo(TASKS);
      assertThat(store.problems()).isEmpty();
      System.out.println("claims per child: " + claimedBy.values().stream()
          .collect(Collectors.groupingBy(c -> c, Collectors.counting())));
    }
  }
}
