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
    }
    assertThat(acquired.get()).isPositive();
    assertThat(tokens).hasSize(acquired.get());
    assertThat(java.util.Collections.max(tokens)).isEqualTo((long) acquired.get());
  }
}
