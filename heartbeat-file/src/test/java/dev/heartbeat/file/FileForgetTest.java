package dev.heartbeat.file;

import static dev.heartbeat.tck.Beats.plain;
import static dev.heartbeat.tck.Beats.progress;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.ProgressEvent;
import dev.heartbeat.tck.ManualTime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code forget} on disk: every file of the agent goes, its lock file included; a forget that a
 * crash cut short leaves nothing the next run would read back; and deleting lock files while
 * other threads and processes beat the same agent keeps every record whole (the holder unlinks
 * under the lock, and a waiter finds the file replaced and locks the new one).
 */
class FileForgetTest {
  private final ManualTime time = new ManualTime();

  @Test
  void forgetDeletesEveryFileOfTheAgentItsLockFileIncluded() throws IOException {
    FileStore store = FileStore.open(FileHarness.freshDirectory(), time, 2);
    for (int seq = 1; seq <= 9; seq++) { // past twice the limit: several journal generations
      if (seq == 1) {
        store.register(progress("gone", seq, "t", "p" + seq));
      } else {
        store.record(progress("gone", seq, "t", "p" + seq));
      }
    }
    store.register(progress("kept", 1, "t", "p"));
    List<Path> keptFiles = files(store.directory(), "kept");
    assertThat(files(store.directory(), "gone")).as("state, journals and lock file")
        .hasSizeGreaterThanOrEqualTo(4);

    assertThat(store.forget("gone")).isTrue();
    assertThat(files(store.directory(), "gone")).isEmpty();
    assertThat(files(store.directory(), "kept")).isEqualTo(keptFiles);
    assertThat(store.forget("gone")).isFalse();
    store.close();
  }

  @Test
  void aForgetThatACrashCutShortLeavesNoHistoryForTheNextRun() throws IOException {
    FileStore store = FileStore.open(FileHarness.freshDirectory(), time, 5);
    store.register(progress("a", 1, "t", "old"));
    store.record(progress("a", 2, "t", "older"));
    Files.delete(store.agentFiles().stateFile("a")); // forget's first step, then the crash

    store.register(plain("a", 1));
    assertThat(store.history("a", 5)).extracting(Heartbeat::sequence).containsExactly(1L);
    assertThat(store.events("a", 5)).extracting(ProgressEvent::progress).isEmpty();
    store.record(progress("a", 2, "t", "new"));
    assertThat(store.events("a", 5)).extracting(ProgressEvent::progress).containsExactly(Optional.of("new"));
    assertThat(store.problems()).isEmpty();
    store.close();
  }

  @Test
  void threadsOfTwoStoresForgettingAndBeatingOneAgentKeepEveryRecordWhole() throws Exception {
    Path dir = FileHarness.freshDirectory();
    List<FileStore> stores = List.of(FileStore.open(dir, time, 5), FileStore.open(dir, time, 5));
    Queue<Throwable> failed = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        FileStore store = stores.get(t % 2);
        String incarnation = "run-" + t;
        done.add(pool.submit(() -> {
          for (int i = 1; i <= 150; i++) {
            try {
              var beat = new dev.heartbeat.spi.Beat("shared", incarnation, i, Optional.of("t"),
                  dev.heartbeat.AgentStatus.WORKING, OptionalDouble.of(0.5), Optional.of("p" + i),
                  i % 3 == 0, Optional.empty());
              if (i % 10 == 0) {
                store.forget("shared");
              } else if (store.record(beat).filter(h -> h.incarnation().equals(incarnation))
                  .isEmpty()) {
                store.register(beat);
              }
            } catch (RuntimeException e) {
              failed.add(e);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(failed).isEmpty();
    assertWhole(stores.get(0));
    stores.forEach(FileStore::close);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void processesForgettingAndBeatingOneAgentKeepEveryRecordWhole() throws Exception {
    Path dir = FileHarness.freshDirectory().toAbsolutePath();
    // generous, as in BeatChild: polling tryLock is not fair to a process among tight loops
    FileStore store = FileStore.builder(dir).clock(time).historyLimit(5)
        .lockTimeout(java.time.Duration.ofSeconds(60)).build();
    List<Process> children = new ArrayList<>();
    String java = ProcessHandle.current().info().command().orElse("java");
    for (int c = 0; c < 2; c++) {
      children.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          BeatChild.class.getName(), dir.toString(), "child-" + c, "300")
          .redirectError(dir.resolve("child-" + c + ".err").toFile()).start());
    }
    for (int i = 1; i <= 300; i++) {
      var beat = new dev.heartbeat.spi.Beat("shared", "parent", i, Optional.of("t"),
          dev.heartbeat.AgentStatus.WORKING, OptionalDouble.of(0.5), Optional.of("p" + i),
          i % 3 == 0, Optional.empty());
      if (i % 7 == 0) {
        store.forget("shared");
      } else if (store.record(beat).filter(h -> h.incarnation().equals("parent")).isEmpty()) {
        store.register(beat);
      }
    }
    for (int c = 0; c < children.size(); c++) {
      Process child = children.get(c);
      assertThat(child.waitFor(90, TimeUnit.SECONDS)).isTrue();
      String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(child.exitValue()).as("child %d: %s", c,
          Files.readString(dir.resolve("child-" + c + ".err"))).isZero();
      assertThat(out).contains("DONE");
    }
    assertWhole(store);
    store.close();
  }

  /** Every record of the agent reads, and history and events agree with the latest state. */
  private static void assertWhole(FileStore store) {
    store.register(plain("probe", 1));
    store.agent("shared").ifPresent(latest -> {
      List<Heartbeat> history = store.history("shared", 5);
      assertThat(history).isNotEmpty();
      assertThat(history.get(0)).as("history's newest is the latest state")
          .isEqualTo(latest);
    });
    assertThat(store.problems()).as("no torn or mixed record").isEmpty();
  }

  private static List<Path> files(Path dir, String name) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().matches("(agent-)?" + name + "\\..*"))
          .sorted().toList();
    }
  }
}
