package dev.heartbeat.file;

import static dev.heartbeat.tck.Beats.plain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Lease;
import dev.heartbeat.tck.ManualTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The directory of a live store deleted (and made again) from outside: the next call makes the
 * missing subdirectories and succeeds, instead of failing on a missing lock directory until the
 * process restarts. A store whose directory itself is gone says so, and makes nothing.
 */
class FileRecreatedDirectoryTest {
  private static final Duration TTL = Duration.ofSeconds(30);
  private final ManualTime time = new ManualTime();
  private final Path dir = FileHarness.freshDirectory();
  private final FileStore store = FileStore.open(dir, time, 5);

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aDirectoryDeletedAndMadeAgainWorksAgainAtTheNextCall() throws IOException {
    store.register(plain("a", 1));
    store.record(plain("a", 2));
    Lease before = store.tryAcquire("l", "h", TTL).orElseThrow();
    store.renew("l", "h", before.token(), TTL).orElseThrow();

    deleteTree(dir);
    Files.createDirectory(dir);

    assertThat(store.record(plain("a", 3))).as("its state went with the directory").isEmpty();
    assertThat(store.register(plain("a", 3)).sequence()).isEqualTo(3L);
    assertThat(store.record(plain("a", 4))).isPresent();
    assertThat(store.history("a", 5)).extracting(Heartbeat::sequence).containsExactly(4L, 3L);
    Lease after = store.tryAcquire("l", "h", TTL).orElseThrow();
    assertThat(after.token()).as("no record of the last token: the clock is the floor")
        .isGreaterThan(before.token());
    assertThat(store.renew("l", "h", after.token(), TTL)).isPresent();
    assertThat(store.forget("a")).isTrue();
    assertThat(store.problems()).isEmpty();
  }

  @Test
  void aLayoutMadeAgainFromOutsideIsForcedThroughChannelsOfTheNewDirectories()
      throws IOException {
    store.register(plain("a", 1));
    store.record(plain("a", 2));
    long opened = Durable.directoriesOpened();
    deleteTree(dir);
    for (String sub : Layout.DIRECTORIES) { // as another process's open makes it: no error here
      Files.createDirectories(dir.resolve(sub));
    }

    assertThat(store.register(plain("a", 3)).sequence()).isEqualTo(3L);
    assertThat(Durable.directoriesOpened() - opened)
        .as("the renames are forced in the new agents and history directories, not in the"
            + " deleted ones whose channels were kept")
        .isGreaterThanOrEqualTo(2L);
    long again = Durable.directoriesOpened();
    store.record(plain("a", 4));
    assertThat(Durable.directoriesOpened()).as("the new channels are kept").isEqualTo(again);
  }

  @Test
  void subdirectoriesDeletedUnderALiveStoreAreMadeAgain() throws IOException {
    store.register(plain("a", 1));
    Lease before = store.tryAcquire("l", "h", TTL).orElseThrow();
    deleteTree(dir.resolve("locks"));
    deleteTree(dir.resolve("counters"));
    deleteTree(dir.resolve("history"));

    assertThat(store.record(plain("a", 2))).isPresent();
    assertThat(store.renew("l", "h", before.token(), TTL)).isPresent();
    assertThat(store.release("l", "h", before.token())).isTrue();
    assertThat(store.tryAcquire("l", "h", TTL)).get().extracting(Lease::token)
        .as("counters lost, lease released: the clock is the floor, never token 1 again")
        .isNotEqualTo(before.token()).matches(t -> t > before.token());
    for (String sub : new String[] {"locks", "counters", "history"}) {
      assertThat(dir.resolve(sub)).isDirectory();
    }
  }

  @Test
  void aStoreWhoseDirectoryIsGoneSaysSoAndMakesNothingUntilItIsMadeAgain() throws IOException {
    store.register(plain("a", 1));
    deleteTree(dir);

    assertThatThrownBy(() -> store.register(plain("a", 2)))
        .isInstanceOf(HeartbeatStoreException.class)
        .hasMessageContaining(store.directory().toString()).hasMessageContaining("gone");
    assertThatThrownBy(() -> store.tryAcquire("l", "h", TTL))
        .isInstanceOf(HeartbeatStoreException.class).hasMessageContaining("gone");
    assertThat(dir).doesNotExist();
    assertThat(store.agents()).isEmpty();

    Files.createDirectory(dir);
    assertThat(store.register(plain("a", 2)).sequence()).isEqualTo(2L);
    assertThat(store.tryAcquire("l", "h", TTL)).isPresent();
  }

  @Test
  void aStoreOpenedWithItsCountersDirectoryMissingNeverIssuesAnOldTokenAgain()
      throws IOException {
    Lease before = store.tryAcquire("l", "h", TTL).orElseThrow();
    store.release("l", "h", before.token());
    store.close();
    deleteTree(dir.resolve("counters"));
    try (FileStore reopened = FileStore.open(dir, time, 5)) {
      assertThat(reopened.tryAcquire("l", "h", TTL)).get().extracting(Lease::token)
          .matches(t -> t > before.token(), "above " + before.token());
      assertThat(reopened.tryAcquire("fresh", "h", TTL)).as("a name never seen, too")
          .get().extracting(Lease::token).matches(t -> t > before.token(), "above 1");
    }
    try (FileStore brandNew = FileStore.open(FileHarness.freshDirectory(), time, 5)) {
      assertThat(brandNew.tryAcquire("l", "h", TTL)).as("a new store counts from 1").get()
          .extracting(Lease::token).isEqualTo(1L);
    }
  }

  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
