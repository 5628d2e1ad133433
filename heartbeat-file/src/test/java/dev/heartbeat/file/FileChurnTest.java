package dev.heartbeat.file;

import static dev.heartbeat.tck.Beats.plain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Lease;
import dev.heartbeat.tck.ManualTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Years of uptime with agents coming and going: rounds of new agent ids that register, beat and
 * are forgotten, past the bound of kept lock channels. The JVM's lock table never holds more than
 * {@link FileLocks#MAX_OPEN} idle entries, a forgotten agent leaves neither an entry nor a lock
 * file behind, and what the table keeps is only for the records still in use.
 */
class FileChurnTest {
  private static final int AGENTS = FileLocks.MAX_OPEN + 44;
  private static final int ROUNDS = 3;

  @Test
  void agentsThatComeAndGoLeaveTheLockTableAndTheLockDirectoryBounded() throws IOException {
    ManualTime time = new ManualTime();
    int before = FileLocks.entries();
    try (FileStore store = FileStore.open(FileHarness.freshDirectory(), time, 5)) {
      Path locks = store.directory().resolve("locks");
      Lease lease = store.tryAcquire("leader", "me", Duration.ofMinutes(1)).orElseThrow();
      int most = 0;
      for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < AGENTS; i++) {
          String id = "r" + round + "-a" + i;
          store.register(plain(id, 1));
          store.record(plain(id, 2));
          most = Math.max(most, FileLocks.entries() - before);
        }
        store.renew("leader", "me", lease.token(), Duration.ofMinutes(1)).orElseThrow();
        time.advance(Duration.ofSeconds(10));
        for (int i = 0; i < AGENTS; i++) {
          assertThat(store.forget("r" + round + "-a" + i)).isTrue();
        }
        assertThat(store.agents()).isEmpty();
        assertThat(FileLocks.entries() - before)
            .as("round %d: only the lease's entry is left", round).isEqualTo(1);
        assertThat(lockFiles(locks)).as("round %d: only the lease's lock file", round)
            .containsExactly("lease-leader.lock");
      }
      assertThat(most).as("never more idle entries than the bound").isLessThanOrEqualTo(
          FileLocks.MAX_OPEN);
    }
    assertThat(FileLocks.entries()).as("closed with the store").isEqualTo(before);
  }

  private static java.util.List<String> lockFiles(Path locks) throws IOException {
    try (Stream<Path> files = Files.list(locks)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
