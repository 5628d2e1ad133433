package dev.heartbeat.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.Beats;
import dev.heartbeat.tck.ManualTime;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A record's lock held by a process that is frozen (SIGSTOP), or by a thread of this process that
 * does not come back, fails the call at the lock timeout with an error naming the lock file,
 * instead of waiting forever; once the holder is gone the record is usable again.
 */
class FileLockTimeoutTest {
  private static final Duration SHORT = Duration.ofMillis(300);
  /** Far above {@link #SHORT}: only an outcome bound, for a loaded machine. */
  private static final Duration BOUND = Duration.ofSeconds(15);

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aLockHeldByAFrozenProcessFailsTheCallAtTheLockTimeoutNamingTheFile() throws Exception {
    Path dir = FileHarness.freshDirectory();
    FileStore store = FileStore.builder(dir).clock(new ManualTime()).lockTimeout(SHORT).build();
    Path lockFile = store.directory().resolve("locks").resolve("lease-frozen.lock");
    Process child = holder(lockFile);
    try {
      signal(child, "-STOP");
      assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(
          () -> store.tryAcquire("frozen", "me", Duration.ofSeconds(5)))
          .isInstanceOf(HeartbeatStoreException.class)
          .hasMessageContaining(lockFile.toString())
          .hasMessageContaining("lockTimeout"));
      assertThat(store.tryAcquire("free", "me", Duration.ofSeconds(5)))
          .as("other records are not held up").isPresent();
      signal(child, "-CONT");
    } finally {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(store.tryAcquire("frozen", "me", Duration.ofSeconds(5)))
        .as("the OS dropped the dead holder's lock").isPresent();
    store.close();
  }

  @Test
  void aThreadOfThisProcessThatKeepsTheLockFailsTheOthersAtTheTimeout() throws Exception {
    Path lockFile = FileHarness.freshDirectory().toRealPath().resolve("stuck.lock");
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<?> stuck = pool.submit(() -> FileLocks.holding(lockFile, SHORT, () -> {
        inside.countDown();
        await(done);
        return null;
      }));
      assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
      assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(
          () -> FileLocks.holding(lockFile, SHORT, () -> null))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(lockFile.toString())
          .hasMessageContaining("another thread"));
      done.countDown();
      stuck.get(10, TimeUnit.SECONDS);
      assertThat(FileLocks.holding(lockFile, SHORT, () -> "free")).isEqualTo("free");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theUriSetsTheLockTimeout() throws Exception {
    Path dir = FileHarness.freshDirectory().toAbsolutePath();
    try (HeartbeatStore store = Heartbeats.openStore("file:" + dir + "?lockTimeout=200ms")) {
      Path lockFile = ((FileStore) store).directory().resolve("locks").resolve("lease-x.lock");
      CountDownLatch inside = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(1);
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        pool.submit(() -> FileLocks.holding(lockFile, SHORT, () -> {
          inside.countDown();
          await(done);
          return null;
        }));
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(
            () -> store.tryAcquire("x", "me", Duration.ofSeconds(5)))
            .isInstanceOf(HeartbeatStoreException.class).hasMessageContaining("PT0.2S"));
      } finally {
        done.countDown();
        pool.shutdown();
      }
      store.register(Beats.plain("a", 1));
    }
    assertThatThrownBy(() -> Heartbeats.openStore("file:" + dir + "?lockTimeout=soon"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lockTimeout")
        .hasMessageContaining("soon");
    assertThatThrownBy(() -> Heartbeats.openStore("file:" + dir + "?lockTimeout=0s"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lockTimeout");
    assertThatThrownBy(() -> FileStore.builder(dir).lockTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lockTimeout");
  }

  private static void await(CountDownLatch latch) throws IOException {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    }
  }

  private static Process holder(Path lockFile) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        LockHolderChild.class.getName(), lockFile.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8));
    assertThat(out.readLine()).as("the child holds the lock").isEqualTo("LOCKED true");
    return p;
  }

  private static void signal(Process child, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(child.pid())).inheritIO()
        .start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0)
        .as("kill %s succeeded", signal).isTrue();
  }
}
