package dev.heartbeat.file;

import static dev.heartbeat.tck.Beats.plain;
import static dev.heartbeat.tck.Beats.progress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.Lease;
import dev.heartbeat.spi.Retention;
import dev.heartbeat.spi.StoreProblem;
import dev.heartbeat.tck.ManualTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Something that is not a file where a record should be (a directory named {@code x.json}, a
 * named pipe that reading would block on): every listing and read skips it and reports it once
 * with its path, like any unreadable record; the other records still read.
 */
class FileNotARecordTest {
  private final ManualTime time = new ManualTime();
  private final FileStore store = FileStore.open(FileHarness.freshDirectory(), time, 5);

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aDirectoryNamedLikeAnAgentIsSkippedAndReported() throws IOException {
    store.register(plain("good", 1));
    Path bad = Files.createDirectory(store.agentFiles().stateFile("bad"));
    Files.writeString(bad.resolve("inside"), "x");

    assertThat(store.agents()).extracting(Heartbeat::agentId).containsExactly("good");
    assertThat(store.agent("bad")).isEmpty();
    assertThat(store.history("bad", 5)).isEmpty();
    assertThat(store.record(plain("bad", 2))).as("not an agent it knows").isEmpty();
    assertThat(store.prune(new Retention(Duration.ofHours(1), 1))).isZero();
    assertThat(store.problems()).singleElement().satisfies(p -> {
      assertThat(p.location()).isEqualTo(bad.toString());
      assertThat(p.problem()).contains("directory");
    });
    assertThat(store.record(plain("good", 2))).isPresent();
  }

  @Test
  void aDirectoryNamedLikeALeaseOrACounterIsSkippedAndReported() throws IOException {
    store.tryAcquire("good", "h", Duration.ofSeconds(5)).orElseThrow();
    Path bad = Files.createDirectory(store.leaseFiles().leaseFile("bad"));

    assertThat(store.leases()).extracting(Lease::name).containsExactly("good");
    assertThat(store.lease("bad")).isEmpty();
    assertThat(store.problems()).extracting(StoreProblem::location)
        .containsExactly(bad.toString());

    Path counter = store.leaseFiles().counterFiles("good").get(1);
    Files.delete(counter);
    Files.createDirectory(counter);
    store.release("good", "h", store.lease("good").orElseThrow().token());
    assertThat(store.leases()).isEmpty();
    assertThat(store.lease("good")).isEmpty();
  }

  @Test
  void aJournalThatIsADirectoryReadsAsMissingAndTheNextBeatStartsANewOne() throws IOException {
    store.register(progress("a", 1, "t", "p1"));
    Path journal = store.agentFiles().historyFile("a");
    Files.delete(journal);
    Files.createDirectory(journal);

    assertThat(store.history("a", 5)).isEmpty();
    assertThat(store.problems()).extracting(StoreProblem::location)
        .containsExactly(journal.toString());
    assertThat(store.record(progress("a", 2, "t", "p2"))).isPresent();
    assertThat(store.history("a", 5)).extracting(Heartbeat::sequence).containsExactly(2L);
    assertThat(store.events("a", 5)).hasSize(2);
  }

  @Test
  void aNamedPipeNamedLikeARecordIsNotReadFrom() throws Exception {
    store.register(plain("good", 1));
    Path pipe = store.agentFiles().stateFile("pipe");
    Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).isTrue();

    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      assertThat(store.agents()).extracting(Heartbeat::agentId).containsExactly("good");
      assertThat(store.agent("pipe")).isEmpty();
    });
    assertThat(store.problems()).extracting(StoreProblem::location)
        .containsExactly(pipe.toString());
  }

  @Test
  void anOldDirectoryNamedLikeATemporaryFileDoesNotStopTheStoreOpening() throws IOException {
    Path dir = store.directory();
    Path odd = Files.createDirectory(dir.resolve("leases").resolve(".l.json.1.tmp"));
    Files.writeString(odd.resolve("inside"), "x");
    Files.setLastModifiedTime(odd, java.nio.file.attribute.FileTime.from(
        java.time.Instant.now().minus(Duration.ofHours(1))));
    FileStore.open(dir).close();
    assertThat(odd).isDirectory();
  }
}
