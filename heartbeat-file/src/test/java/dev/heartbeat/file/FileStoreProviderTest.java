package dev.heartbeat.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.spi.HeartbeatStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query");
    assertThatThrownBy(() -> provider.open(URI.create("memory:x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memory:x");
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
