package dev.heartbeat.examples.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Attempt;
import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checker of {@link TaskFaultsTest} finds what it is there to find: written logs and task
 * records, one good story and the violations each change of it makes.
 */
class RunCheckerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir
  Path dir;

  @Test
  void aRunFencedOutByALaterClaimIsNoViolation() throws IOException {
    Runs runs = logs(
        "START t 1 10 a 1000", // a froze: no RETURN until after b's run
        "START t 2 11 b 5000", "RETURN t 2 11 b 6000 done -", "END t 11 DONE accepted 6000 6001",
        "RETURN t 1 10 a 9000 done -", "END t 10 DONE refused 9000 9001");
    assertThat(check(runs, done(lost(1, "a", 10), ended(2, "b", 11, AttemptOutcome.DONE))))
        .isEmpty();
  }

  @Test
  void overlappingRunsNeitherFencedOutAreAViolation() throws IOException {
    Runs runs = logs("START t 1 10 a 1000", "RETURN t 1 10 a 9000 done -",
        "END t 10 FAILED accepted 9000 9001",
        "START t 2 11 b 5000", "RETURN t 2 11 b 6000 done -", "END t 11 DONE accepted 6000 6001");
    assertThat(check(runs, done(ended(1, "a", 10, AttemptOutcome.FAILED),
        ended(2, "b", 11, AttemptOutcome.DONE))))
        .singleElement().asString().contains("overlaps");
  }

  @Test
  void doneTwiceLostTasksAndWrongStatesAreViolations() throws IOException {
    Runs runs = logs("START t 1 10 a 1000", "RETURN t 1 10 a 2000 done -",
        "START t 2 11 b 3000", "RETURN t 2 11 b 4000 done -");
    TaskView twice = done(ended(1, "a", 10, AttemptOutcome.DONE),
        ended(2, "b", 11, AttemptOutcome.DONE));
    assertThat(check(runs, twice)).anyMatch(v -> v.contains("DONE recorded 2 times"));
    assertThat(RunChecker.violations(runs, Map.of("t", Optional.empty()),
        Map.of("t", TaskState.DONE))).anyMatch(v -> v.contains("lost"));
    assertThat(RunChecker.violations(runs, Map.of("t", Optional.of(twice)),
        Map.of("t", TaskState.BLOCKED))).anyMatch(v -> v.contains("expected BLOCKED"));
  }

  @Test
  void anEndTheLogSaysWasAcceptedMustBeWhatTheStoreKept() throws IOException {
    Runs runs = logs("START t 1 10 a 1000", "RETURN t 1 10 a 2000 done -",
        "END t 10 DONE accepted 2000 2001", "START t 2 11 b 9000",
        "RETURN t 2 11 b 9500 done -", "END t 11 DONE accepted 9500 9501");
    assertThat(check(runs, done(lost(1, "a", 10), ended(2, "b", 11, AttemptOutcome.DONE))))
        .singleElement().asString().contains("was accepted, but the store kept");
  }

  @Test
  void aHalfWrittenLineIsReported() throws IOException {
    Runs runs = logs("START t 1 10 a 1000", "RETURN t 1 10 a 2000 done -",
        "END t 10 DONE accepted 2000 2001", "START t 2 1");
    assertThat(check(runs, done(ended(1, "a", 10, AttemptOutcome.DONE))))
        .singleElement().asString().contains("could not be read");
  }

  private List<String> check(Runs runs, TaskView task) {
    return RunChecker.violations(runs, Map.of("t", Optional.of(task)),
        Map.of("t", TaskState.DONE));
  }

  private Runs logs(String... lines) throws IOException {
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    for (String line : lines) {
      (line.split(" ").length > 4 && line.split(" ")[4].equals("b")
          || line.startsWith("END t 11") ? b : a).add(line);
    }
    return Runs.read(List.of(Files.write(dir.resolve("a.log"), a),
        Files.write(dir.resolve("b.log"), b)));
  }

  private static Attempt lost(int number, String worker, long token) {
    return ended(number, worker, token, AttemptOutcome.WORKER_LOST);
  }

  private static Attempt ended(int number, String worker, long token, AttemptOutcome outcome) {
    return new Attempt(number, worker, worker + "-1", token, T0, Optional.of(T0),
        Optional.of(outcome), Optional.empty(), Optional.empty(), Optional.empty());
  }

  private static TaskView done(Attempt... attempts) {
    return new TaskView("q", TaskSpec.of("t", "x"), TaskState.DONE, attempts[attempts.length - 1]
        .token(), Optional.empty(), Optional.empty(), T0, 0, 0, Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), false, T0, T0, List.of(attempts));
  }
}
