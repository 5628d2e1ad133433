package dev.heartbeat.file;

import static dev.heartbeat.tck.Beats.plain;
import static dev.heartbeat.tck.Beats.progress;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.ProgressEvent;
import dev.heartbeat.tck.ManualTime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a person finds in the directory, and what a crash at each step of a write leaves behind:
 * readable JSON with a format version in every file, safe file names for any id, and journals
 * whose uncommitted tail is never seen.
 */
class FileLayoutTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final ManualTime time = new ManualTime();
  private final Path dir = FileHarness.freshDirectory();
  private final FileStore store = FileStore.open(dir, time, 5);

  @Test
  void everyFileIsJsonWithAFormatVersionUnderASafeName() throws IOException {
    List<String> ids = List.of("a", "A", "..", "x/../../etc", "日本語", "q\"u;o'te", "A".repeat(128));
    for (String id : ids) {
      store.register(progress(id, 1, "t", "p"));
      store.tryAcquire(id, "h", Duration.ofSeconds(5));
    }
    assertThat(store.agents()).hasSize(ids.size());
    assertThat(store.leases()).hasSize(ids.size());
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = file.getFileName().toString();
        assertThat(name).matches("([a-z0-9_~.-]|%[0-9A-F]{2})+").hasSizeLessThanOrEqualTo(200);
        assertThat(file.getParent().getParent()).as("no id made a directory").isEqualTo(dir);
        if (name.endsWith(".lock")) {
          continue;
        }
        String content = Files.readString(file);
        List<String> objects = name.endsWith(".jsonl") ? content.lines().toList() : List.of(content);
        for (String object : objects) {
          JsonNode node = MAPPER.readTree(object);
          assertThat(node.get("format").asInt()).as("%s", file).isEqualTo(Json.FORMAT);
        }
      }
    }
    assertThat(dir.resolve("agents").resolve("a.json")).exists();
    assertThat(dir.resolve("agents").resolve("%41.json")).as("upper case never merges").exists();
    assertThat(Files.readString(dir.resolve("agents").resolve("a.json")))
        .contains("\"agentId\" : \"a\"");
  }

  /**
   * A state file of the version before beats carried their interval (no {@code interval} field)
   * reads as a beat without one, and the next beat writes its interval. (History lines are read
   * by the same parser; rewriting one in place would move the journal tip the state records.)
   */
  @Test
  void recordsWithoutAnIntervalFieldReadAsBeatsWithoutOne() throws IOException {
    store.register(plain("a", 1));
    Path state = store.agentFiles().stateFile("a");
    assertThat(Files.readString(state)).contains("\"interval\" : \"" + dev.heartbeat.tck.Beats.INTERVAL + "\"");
    String old = Files.readString(state).replaceAll(",?\\s*\"interval\"\\s*:\\s*\"[^\"]*\"", "");
    assertThat(old).doesNotContain("interval");
    Files.writeString(state, old);
    assertThat(store.agent("a")).get().satisfies(h -> {
      assertThat(h.sequence()).isEqualTo(1L);
      assertThat(h.interval()).isEmpty();
    });
    assertThat(store.problems()).isEmpty();
    assertThat(store.record(plain("a", 2))).get()
        .satisfies(h -> assertThat(h.interval()).contains(dev.heartbeat.tck.Beats.INTERVAL));
    assertThat(store.agent("a").orElseThrow().interval()).contains(dev.heartbeat.tck.Beats.INTERVAL);
  }

  @Test
  void aCrashAfterTheJournalsWereWrittenButBeforeTheStateLeavesNothingVisible()
      throws IOException {
    store.register(plain("a", 1));
    store.record(progress("a", 2, "t", "p2"));
    Heartbeat ghost = new Heartbeat("a", "inc-1", 99, Optional.of("t"),
        dev.heartbeat.AgentStatus.WORKING, OptionalDouble.of(0),
        Optional.of("ghost"), Optional.of(time.instant()), time.instant(), Optional.empty());
    Files.write(store.agentFiles().historyFile("a"), Json.line(Records.heartbeat(ghost)),
        StandardOpenOption.APPEND);
    Files.write(store.agentFiles().eventsFile("a"), Json.line(Records.event(new ProgressEvent("a",
        "inc-1", 99, Optional.of("t"), Optional.of("ghost"), time.instant()))),
        StandardOpenOption.APPEND);

    assertThat(store.agent("a")).get().extracting(Heartbeat::sequence).isEqualTo(2L);
    assertThat(store.history("a", 10)).extracting(Heartbeat::sequence).containsExactly(2L, 1L);
    assertThat(store.events("a", 10)).extracting(ProgressEvent::sequence).containsExactly(2L);

    store.record(plain("a", 3));
    assertThat(store.history("a", 10)).extracting(Heartbeat::sequence).containsExactly(3L, 2L, 1L);
    assertThat(store.events("a", 10)).extracting(ProgressEvent::sequence).containsExactly(2L);
    assertThat(Files.readString(store.agentFiles().historyFile("a"))).doesNotContain("ghost");
    store.record(progress("a", 4, "t", "p4"));
    assertThat(store.events("a", 10)).extracting(ProgressEvent::sequence).containsExactly(4L, 2L);
    assertThat(Files.readString(store.agentFiles().eventsFile("a")))
        .as("the next event cut the uncommitted tail off").doesNotContain("ghost");
    assertThat(store.problems()).isEmpty();
  }

  @Test
  void leftoversOfInterruptedReplacementsAndRotationsAreIgnored() throws IOException {
    store.register(plain("a", 1));
    Files.writeString(dir.resolve("agents").resolve(".a.json.1234.tmp"), "{\"format\":1,");
    Files.writeString(dir.resolve("leases").resolve(".l.json.1234.tmp"), "");
    Path orphan = dir.resolve("history").resolve("a.1.jsonl");
    Files.writeString(orphan, "a rotation that crashed before its commit\n");
    assertThat(store.agents()).extracting(Heartbeat::agentId).containsExactly("a");
    assertThat(store.leases()).isEmpty();

    for (int seq = 2; seq <= 12; seq++) {
      store.record(plain("a", seq));
    }
    assertThat(store.history("a", 10)).extracting(Heartbeat::sequence)
        .containsExactly(12L, 11L, 10L, 9L, 8L);
    assertThat(Files.readString(store.agentFiles().historyFile("a"), StandardCharsets.UTF_8))
        .doesNotContain("crashed");
    try (Stream<Path> journals = Files.list(dir.resolve("history"))) {
      assertThat(journals.filter(p -> !p.getFileName().toString().startsWith(".")))
          .as("old generations are deleted after the commit").hasSize(1);
    }
    assertThat(store.problems()).isEmpty();
  }

  @Test
  void openingDeletesOnlyStaleTemporaryFiles() throws IOException {
    Path stale = Files.writeString(dir.resolve("leases").resolve(".l.json.1.tmp"), "{");
    Path fresh = Files.writeString(dir.resolve("leases").resolve(".l.json.2.tmp"), "{");
    Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(
        java.time.Instant.now().minus(Duration.ofHours(1))));
    FileStore.open(dir).close();
    assertThat(stale).doesNotExist();
    assertThat(fresh).as("may be a write in progress in another process").exists();
  }
}
