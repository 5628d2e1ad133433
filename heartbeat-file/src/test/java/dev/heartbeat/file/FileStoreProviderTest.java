package dev.heartbeat.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.StoreNotFoundException;
import dev.heartbeat.tck.Beats;
import dev.heartbeat.spi.HeartbeatStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Opening by URI through the service loader, and the errors of a directory that cannot be used. */
class FileStoreProviderTest {

  @Test
  void opensAbsoluteUrisInBothFormsThroughTheServiceLoader() throws IOException {
    Path dir = FileHarness.freshDirectory().resolve("made").toAbsolutePath();
    try (HeartbeatStore store = Heartbeats.openStore("file:" + dir)) {
      assertThat(store).isInstanceOf(FileStore.class);
      assertThat(store.describe()).isEqualTo("file:" + dir);
      assertThat(store.tryAcquire("l", "h", Duration.ofSeconds(5))).isPresent();
    }
    assertThat(Files.isDirectory(dir.resolve("leases"))).as("missing directory created").isTrue();
    try (HeartbeatStore store = Heartbeats.openStore(dir.toUri().toString())) {
      assertThat(store.describe()).isEqualTo("file:" + dir);
      assertThat(store.lease("l")).as("same directory, same lease").isPresent();
    }
  }

  @Test
  void opensARelativeUriAgainstTheWorkingDirectory() {
    Path relative = Path.of("target", "file-stores", "relative-" + System.nanoTime());
    assertThat(FileStoreProvider.path(URI.create("file:" + relative.toString().replace('\\',
        '/')))).isEqualTo(relative);
    try (HeartbeatStore store = new FileStoreProvider().open(URI.create("file:" + relative))) {
      assertThat(store.describe()).isEqualTo("file:" + relative.toAbsolutePath());
    }
  }

  @Test
  void rejectsUrisThatAreNotALocalDirectory() {
    FileStoreProvider provider = new FileStoreProvider();
    assertThat(provider.schemes()).containsExactly("file");
    assertThatThrownBy(() -> provider.open(URI.create("file://elsewhere/var/hb")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("elsewhere");
    assertThatThrownBy(() -> provider.open(URI.create("file:/tmp/x?history=3")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query").hasMessageContaining("history=3");
    assertThatThrownBy(() -> provider.open(URI.create("memory:x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memory:x");
  }

  @Test
  void anEmptyPathOrTheFileSystemRootIsRejectedNamingTheUriAndTheReason() {
    FileStoreProvider provider = new FileStoreProvider();
    for (String uri : List.of("file:/", "file:///", "file://localhost/", "file:/..",
        "file:/tmp/..")) {
      assertThatThrownBy(() -> provider.open(URI.create(uri))).as(uri)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + uri + "'").hasMessageContaining("root");
      assertThatThrownBy(() -> provider.openExisting(URI.create(uri))).as(uri)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("root");
    }
    assertThatThrownBy(() -> Heartbeats.openStore("file:"))
        .as("what \"file:\" + $DIR gives with DIR unset")
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 'file:'")
        .hasMessageContaining("empty").hasMessageContaining("unset");
    assertThatThrownBy(() -> Heartbeats.open("file:"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 'file:'");
    Path root = Path.of("/").toAbsolutePath();
    assertThatThrownBy(() -> FileStore.open(root))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("root");
    assertThatThrownBy(() -> Heartbeats.openStore("file:/tmp/a%00b"))
        .as("a path the file system cannot name").isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("uri").hasMessageContaining("'file:/tmp/a%00b'");
    assertThatThrownBy(() -> FileStore.builder(Path.of("")))
        .as("the empty path, what Path.of(\"\" + dir) gives with dir unset: not the working"
            + " directory by accident")
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dir")
        .hasMessageContaining("empty").hasMessageContaining("''");
    assertThatThrownBy(() -> FileStore.open(Path.of("")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
  }

  @Test
  void openExistingCreatesNothingAndSaysWhatIsMissing() throws IOException {
    FileStoreProvider provider = new FileStoreProvider();
    Path parent = FileHarness.freshDirectory().toAbsolutePath();
    Path missing = parent.resolve("typo");
    assertThatThrownBy(() -> provider.openExisting(URI.create("file:" + missing)))
        .isInstanceOf(StoreNotFoundException.class)
        .hasMessageContaining("file:" + missing).hasMessageContaining("no directory");
    assertThat(missing).doesNotExist();
    assertThatThrownBy(() -> Heartbeats.openExistingStore("file:" + missing + "/deeper"))
        .isInstanceOf(StoreNotFoundException.class);
    assertThat(missing).doesNotExist();

    Path half = Files.createDirectories(parent.resolve("half").resolve("agents"))
        .getParent();
    assertThatThrownBy(() -> provider.openExisting(URI.create("file:" + half)))
        .isInstanceOf(StoreNotFoundException.class)
        .hasMessageContaining("not a file store").hasMessageContaining("leases");
    try (Stream<Path> files = Files.list(half)) {
      assertThat(files).as("nothing made").containsExactly(half.resolve("agents"));
    }

    Path dir = parent.resolve("real");
    try (FileStore store = FileStore.open(dir)) {
      store.register(Beats.plain("a", 1));
      store.tryAcquire("l", "h", Duration.ofMinutes(5)).orElseThrow();
    }
    Path stale = Files.writeString(dir.resolve("leases").resolve(".l.json.1.tmp"), "{");
    Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(
        java.time.Instant.now().minus(Duration.ofHours(1))));
    List<Path> before = tree(dir);
    try (HeartbeatStore store = provider.openExisting(URI.create("file:" + dir))) {
      assertThat(store.describe()).isEqualTo("file:" + dir);
      assertThat(store.agents()).extracting(Heartbeat::agentId).containsExactly("a");
      assertThat(store.lease("l")).isPresent();
      assertThat(store.leases()).hasSize(1);
      assertThat(store.history("a", 5)).hasSize(1);
    }
    assertThat(tree(dir)).as("reading wrote nothing, not even a sweep").isEqualTo(before);
  }

  private static List<Path> tree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.sorted().toList();
    }
  }

  @Test
  void aDirectoryThatCannotBeWrittenFailsAtOpenNamingThePath() throws IOException {
    Path file = Files.createFile(FileHarness.freshDirectory().resolve("a-file"));
    assertThatThrownBy(() -> FileStore.open(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dir must be a writable directory")
        .hasMessageContaining(file.toAbsolutePath().toString());
    Path below = file.resolve("below");
    assertThatThrownBy(() -> FileStore.open(below))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(below.toAbsolutePath().toString());
  }

  @Test
  void argumentsAreChecked() {
    Path dir = FileHarness.freshDirectory();
    assertThatThrownBy(() -> FileStore.open(dir, java.time.InstantSource.system(), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("historyLimit");
    assertThatThrownBy(() -> FileStore.open(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dir");
  }
}
