package dev.heartbeat.file;

import static dev.heartbeat.tck.Beats.plain;
import static dev.heartbeat.tck.Beats.progress;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.Lease;
import dev.heartbeat.ProgressEvent;
import dev.heartbeat.spi.StoreProblem;
import dev.heartbeat.tck.ManualTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every kind of bad file (empty, cut short, not JSON, wrong types, unknown format version) in
 * every kind of record (agent state, history, events, lease, fencing counter): reported once with
 * its path, skipped while the others still read, and repaired by the next good write; tokens
 * never go back.
 */
class FileCorruptionTest {
  private static final Duration TTL = Duration.ofSeconds(15);
  private final ManualTime time = new ManualTime();
  private final FileStore store = FileStore.open(FileHarness.freshDirectory(), time, 20);

  @AfterEach
  void close() {
    store.close();
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void agentState(Damage damage) {
    store.register(plain("bad", 1));
    store.record(progress("bad", 2, "t", "p"));
    store.register(plain("good", 1));
    Path file = store.agentFiles().stateFile("bad");
    damage.apply(file);

    assertThat(store.agents()).extracting(Heartbeat::agentId).containsExactly("good");
    assertThat(store.agent("bad")).isEmpty();
    assertThat(store.record(plain("bad", 3))).as("unreadable counts as unknown").isEmpty();
    assertReportedOnce(file);

    store.register(plain("bad", 4));
    assertThat(store.agent("bad")).get().extracting(Heartbeat::sequence).isEqualTo(4L);
    assertThat(store.history("bad", 10)).extracting(Heartbeat::sequence)
        .as("history recovered from its journal").containsExactly(4L, 2L, 1L);
    assertThat(store.events("bad", 10)).extracting(ProgressEvent::sequence).containsExactly(2L);
    assertThat(store.agents()).hasSize(2);
    assertThat(store.problems()).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void historyJournal(Damage damage) throws IOException {
    journal(damage, true);
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void eventsJournal(Damage damage) throws IOException {
    journal(damage, false);
  }

  private void journal(Damage damage, boolean history) throws IOException {
    store.register(progress("bad", 1, "t", "p1"));
    store.record(progress("bad", 2, "t", "p2"));
    store.register(progress("good", 1, "t", "p1"));
    Path file = history ? store.agentFiles().historyFile("bad")
        : store.agentFiles().eventsFile("bad");
    damage.apply(file);

    assertThat(history ? store.history("bad", 10) : store.events("bad", 10)).hasSizeLessThan(2);
    assertThat(store.history("good", 10)).hasSize(1);
    assertThat(store.events("good", 10)).hasSize(1);
    assertThat(store.agent("bad")).get().extracting(Heartbeat::sequence).isEqualTo(2L);
    assertReportedOnce(file);

    store.record(progress("bad", 3, "t", "p3"));
    assertThat(store.history("bad", 10).get(0).sequence()).isEqualTo(3L);
    assertThat(store.events("bad", 10).get(0).sequence()).isEqualTo(3L);
    Path repaired = history ? store.agentFiles().historyFile("bad")
        : store.agentFiles().eventsFile("bad");
    for (String line : Files.readAllLines(repaired)) {
      assertThat(line).as("the rewritten journal is clean").startsWith("{\"format\":1,");
    }
    store.history("bad", 10);
    store.events("bad", 10);
    assertThat(store.problems()).as("nothing new once repaired").hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void leaseRecord(Damage damage) {
    Lease before = store.tryAcquire("bad", "a", TTL).orElseThrow();
    store.tryAcquire("good", "a", TTL).orElseThrow();
    Path file = store.leaseFiles().leaseFile("bad");
    damage.apply(file);

    assertThat(store.lease("bad")).isEmpty();
    assertThat(store.leases()).extracting(Lease::name).containsExactly("good");
    assertThat(store.renew("bad", "a", before.token(), TTL)).isEmpty();
    assertThat(store.tryAcquire("bad", "b", TTL)).as("held until one TTL passed").isEmpty();
    assertReportedOnce(file);

    time.advance(TTL);
    Lease after = store.tryAcquire("bad", "b", TTL).orElseThrow();
    assertThat(after.token()).isGreaterThan(before.token());
    assertThat(store.lease("bad")).contains(after);
    assertThat(store.leases()).extracting(Lease::name).containsExactly("bad", "good");
    assertThat(store.problems()).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void eitherCounterCopyAfterRelease(Damage damage) {
    for (Path file : store.leaseFiles().counterFiles("x")) {
      Lease before = store.tryAcquire("x", "a", TTL).orElseThrow();
      store.release("x", "a", before.token());
      damage.apply(file);
      Lease after = store.tryAcquire("x", "b", TTL).orElseThrow();
      assertThat(after.token()).as("token after damaging %s", file).isGreaterThan(before.token());
      assertThat(after.transitions()).isGreaterThan(before.transitions());
      store.release("x", "b", after.token());
      assertReportedOnce(file);
    }
    Lease again = store.tryAcquire("x", "c", TTL).orElseThrow();
    assertThat(again.token()).as("two acquisitions per copy, then this one").isEqualTo(5);
    assertThat(store.problems()).as("both copies repaired").hasSize(2);
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void bothCounterCopiesWhileHeld(Damage damage) {
    Lease before = store.tryAcquire("x", "a", TTL).orElseThrow();
    for (Path file : store.leaseFiles().counterFiles("x")) {
      damage.apply(file);
    }
    time.advance(TTL);
    Lease after = store.tryAcquire("x", "b", TTL).orElseThrow();
    assertThat(after.token()).as("the lease record keeps the floor").isGreaterThan(before.token());
    assertThat(store.problems()).extracting(StoreProblem::location).containsExactlyElementsOf(
        store.leaseFiles().counterFiles("x").stream().map(Path::toString).toList());
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void bothCounterCopiesAfterRelease(Damage damage) {
    Lease before = store.tryAcquire("x", "a", TTL).orElseThrow();
    store.release("x", "a", before.token());
    for (Path file : store.leaseFiles().counterFiles("x")) {
      damage.apply(file);
    }
    Lease after = store.tryAcquire("x", "b", TTL).orElseThrow();
    assertThat(after.token()).as("no record of the last token: the clock is the floor")
        .isGreaterThan(before.token())
        .isGreaterThanOrEqualTo(time.instant().toEpochMilli() * 1000);
    store.release("x", "b", after.token());
    assertThat(store.tryAcquire("x", "c", TTL).orElseThrow().token())
        .as("repaired copies count on from there").isEqualTo(after.token() + 1);
    assertThat(store.problems()).hasSize(2);
  }

  private void assertReportedOnce(Path file) {
    List<StoreProblem> problems = store.problems();
    assertThat(problems).extracting(StoreProblem::location).containsOnlyOnce(file.toString());
    assertThat(problems.stream().filter(p -> p.location().equals(file.toString())).toList())
        .hasSize(1);
  }
}
