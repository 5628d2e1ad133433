package dev.heartbeat.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Lease;
import dev.heartbeat.tck.ManualTime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two stores on one directory in one JVM (each its own file handles, as two processes would
 * have) and four threads contending for one lease: never two holders, never a token twice. The
 * JVM-wide lock table keeps the OS locks of the two stores from colliding.
 */
class FileLockingTest {
  private static final Duration TIMEOUT = FileStore.DEFAULT_LOCK_TIMEOUT;

  @Test
  void twoStoresOnOneDirectoryNeverBothHoldTheLease() throws Exception {
    ManualTime time = new ManualTime();
    Path dir = FileHarness.freshDirectory();
    List<FileStore> stores = List.of(FileStore.open(dir, time, 5), FileStore.open(dir, time, 5));
    AtomicInteger holders = new AtomicInteger();
    AtomicInteger acquired = new AtomicInteger();
    Set<Long> tokens = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        FileStore store = stores.get(t % 2);
        String holder = "h" + t;
        done.add(pool.submit(() -> {
          long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
          for (int i = 0; i < 40 && System.nanoTime() - end < 0; i++) {
            Optional<Lease> lease = store.tryAcquire("one", holder, Duration.ofMinutes(1));
            if (lease.isPresent()) {
              assertThat(holders.incrementAndGet()).as("one holder at a time").isEqualTo(1);
              assertThat(tokens.add(lease.get().token())).as("fresh token").isTrue();
              acquired.incrementAndGet();
              assertThat(store.renew("one", holder, lease.get().token(), Duration.ofMinutes(1)))
                  .isPresent();
              holders.decrementAndGet();
              assertThat(store.release("one", holder, lease.get().token())).isTrue();
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
    assertThat(acquired.get()).isPositive();
    assertThat(tokens).hasSize(acquired.get());
    assertThat(java.util.Collections.max(tokens)).isEqualTo((long) acquired.get());
  }

  @Test
  void aLockFileDeletedFromOutsideIsOpenedAgainAndLockedForReal() throws Exception {
    Path dir = FileHarness.freshDirectory();
    Path lock = dir.resolve("x.lock");
    FileLocks.holding(lock, TIMEOUT, () -> null);
    java.nio.file.Files.delete(lock); // the kept channel now has a file no one else can open
    FileLocks.holding(lock, TIMEOUT, () -> {
      try (java.nio.channels.FileChannel other = java.nio.channels.FileChannel.open(lock,
          java.nio.file.StandardOpenOption.WRITE)) {
        org.assertj.core.api.Assertions.assertThatThrownBy(other::tryLock)
            .as("this JVM holds the lock of the file the path names now")
            .isInstanceOf(java.nio.channels.OverlappingFileLockException.class);
      }
      return null;
    });
    FileLocks.release(dir);
  }

  @Test
  void lockChannelsAreKeptUpToABoundLeastRecentlyUsedFirstOutAndClosedWithTheStore()
      throws Exception {
    Path dir = FileHarness.freshDirectory().toRealPath();
    int before = FileLocks.open();
    FileStore store = FileStore.open(dir, new ManualTime(), 5);
    Lease lease = store.tryAcquire("kept", "a", Duration.ofMinutes(1)).orElseThrow();
    store.renew("kept", "a", lease.token(), Duration.ofMinutes(1)).orElseThrow();
    assertThat(FileLocks.open()).as("kept between calls").isEqualTo(before + 1);
    store.close();
    assertThat(FileLocks.open()).as("closed with the store").isEqualTo(before);

    long evicted = FileLocks.evicted();
    int files = FileLocks.MAX_OPEN + 20;
    for (int i = 0; i < files; i++) {
      FileLocks.holding(dir.resolve("many-" + i + ".lock"), TIMEOUT, () -> null);
    }
    assertThat(FileLocks.open()).as("the bound, reached").isEqualTo(FileLocks.MAX_OPEN);
    assertThat(FileLocks.entries()).as("the table is bounded too").isEqualTo(FileLocks.MAX_OPEN);
    assertThat(FileLocks.evicted() - evicted).as("what went over the bound, counted")
        .isEqualTo(before + 20L);

    FileLocks.holding(dir.resolve("many-" + (files - 1) + ".lock"), TIMEOUT, () -> null);
    assertThat(FileLocks.evicted() - evicted).as("the newest is still open")
        .isEqualTo(before + 20L);
    FileLocks.holding(dir.resolve("many-0.lock"), TIMEOUT, () -> null);
    assertThat(FileLocks.evicted() - evicted).as("the eldest was closed: opened again, it"
        + " closes the least recently used").isEqualTo(before + 21L);

    FileLocks.release(dir);
    assertThat(FileLocks.open()).isZero();
    assertThat(FileLocks.entries()).isZero();
  }

  @Test
  void aChannelWhoseLockIsHeldIsNeverEvicted() throws Exception {
    Path dir = FileHarness.freshDirectory().toRealPath();
    Path held = dir.resolve("held.lock");
    FileLocks.holding(held, TIMEOUT, () -> {
      for (int i = 0; i < FileLocks.MAX_OPEN * 2; i++) {
        FileLocks.holding(dir.resolve("churn-" + i + ".lock"), TIMEOUT, () -> null);
      }
      try (java.nio.channels.FileChannel other = java.nio.channels.FileChannel.open(held,
          java.nio.file.StandardOpenOption.WRITE)) {
        org.assertj.core.api.Assertions.assertThatThrownBy(other::tryLock)
            .as("this JVM still holds the lock: its channel was not closed under it")
            .isInstanceOf(java.nio.channels.OverlappingFileLockException.class);
      }
      return null;
    });
    FileLocks.release(dir);
    assertThat(FileLocks.entries()).isZero();
  }
}
