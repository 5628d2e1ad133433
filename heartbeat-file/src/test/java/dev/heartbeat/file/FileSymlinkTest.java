package dev.heartbeat.file;

import static dev.heartbeat.tck.Beats.plain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Lease;
import dev.heartbeat.tck.ManualTime;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * One directory opened in one JVM through a symbolic link and through its target: the stores
 * share their locks (keyed by the real path), so no {@link OverlappingFileLockException} escapes
 * and mutual exclusion holds; and what NIO still throws unchecked (two paths to one lock file
 * that no real path joins) leaves the store as a {@link HeartbeatStoreException}.
 */
class FileSymlinkTest {

  @Test
  void aDirectoryAndASymlinkToItShareTheirLocks() throws Exception {
    ManualTime time = new ManualTime();
    Path target = FileHarness.freshDirectory().toAbsolutePath();
    Path link = Files.createSymbolicLink(target.resolveSibling(target.getFileName() + "-link"),
        target);
    List<FileStore> stores = List.of(FileStore.open(target, time, 50),
        FileStore.open(link, time, 50));
    assertThat(stores.get(1).directory()).isEqualTo(stores.get(0).directory());
    stores.get(0).register(plain("shared", 0));
    Queue<Throwable> escaped = new ConcurrentLinkedQueue<>();
    AtomicInteger holders = new AtomicInteger();
    AtomicInteger acquired = new AtomicInteger();
    AtomicLong sequence = new AtomicLong();
    Set<Long> tokens = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        FileStore store = stores.get(t % 2);
        String holder = "h" + t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 60; i++) {
            try {
              Optional<Lease> lease = store.tryAcquire("one", holder, Duration.ofMinutes(1));
              if (lease.isPresent()) {
                assertThat(holders.incrementAndGet()).as("one holder at a time").isEqualTo(1);
                assertThat(tokens.add(lease.get().token())).as("fresh token").isTrue();
                acquired.incrementAndGet();
                holders.decrementAndGet();
                assertThat(store.release("one", holder, lease.get().token())).isTrue();
              }
              store.record(plain("shared", sequence.incrementAndGet()));
            } catch (RuntimeException e) {
              escaped.add(e);
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
      stores.forEach(FileStore::close);
    }
    assertThat(escaped).as("nothing escaped").isEmpty();
    assertThat(acquired.get()).isPositive();
    assertThat(java.util.Collections.max(tokens)).isEqualTo((long) acquired.get());
    try (FileStore store = FileStore.open(target, time, 50)) {
      assertThat(store.agent("shared")).get().extracting(Heartbeat::sequence)
          .isEqualTo(sequence.get());
      assertThat(store.history("shared", 50)).extracting(Heartbeat::sequence)
          .as("every beat under the lock: newest first, none lost in between")
          .isSortedAccordingTo(java.util.Comparator.reverseOrder()).doesNotHaveDuplicates()
          .hasSize(50);
      assertThat(store.problems()).isEmpty();
    }
  }

  @Test
  void anUncheckedExceptionFromNioLeavesAsAStoreException() throws Exception {
    Path a = FileHarness.freshDirectory();
    FileStore first = FileStore.open(a);
    Path b = FileHarness.freshDirectory();
    FileStore.open(b).close();
    Path locks = b.resolve("locks");
    Files.delete(locks);
    Files.createSymbolicLink(locks, first.directory().resolve("locks")); // one file, two paths
    FileStore second = FileStore.open(b);
    Path lockFile = first.directory().resolve("locks").resolve("lease-x.lock");
    FileLocks.holding(lockFile, FileStore.DEFAULT_LOCK_TIMEOUT, () -> {
      assertThatThrownBy(() -> second.tryAcquire("x", "me", Duration.ofSeconds(5)))
          .isInstanceOf(HeartbeatStoreException.class)
          .hasCauseInstanceOf(OverlappingFileLockException.class)
          .hasMessageContaining("tryAcquire(x)");
      return null;
    });
    assertThat(second.tryAcquire("x", "me", Duration.ofSeconds(5))).isPresent();
    first.close();
    second.close();
  }
}
