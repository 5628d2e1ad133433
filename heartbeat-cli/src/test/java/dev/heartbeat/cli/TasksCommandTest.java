package dev.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.file.FileStore;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code heartbeat tasks} on the file store: a queue with a task in INBOX ({@code c}), one in
 * progress ({@code a}, claimed by w1) and one BLOCKED after a failed attempt ({@code b}).
 */
class TasksCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private String store() {
    return "file:" + dir;
  }

  @BeforeEach
  void aQueue() {
    try (FileStore store = FileStore.open(dir)) {
      TaskStore tasks = store.tasks().orElseThrow();
      tasks.submit("q", TaskSpec.of("a", "{\"n\":1}"));
      tasks.submit("q", TaskSpec.of("b", "{\"n\":2}"));
      List<TaskClaim> claims = tasks.claim("q", "w1", "run-1", 2, Duration.ofMinutes(5));
      TaskClaim b = claims.stream().filter(c -> c.task().spec().id().equals("b")).findFirst()
          .orElseThrow();
      assertThat(tasks.end(b.claim(), new AttemptEnd(AttemptOutcome.FAILED,
          Optional.of("java.io.IOException"), Optional.of("disk full"),
          Optional.of("java.io.IOException: disk full\n\tat x.Y(Y.java:1)"), TaskState.BLOCKED,
          Duration.ZERO, Optional.of("failed 1 attempts: disk full")))).isTrue();
      tasks.submit("q", TaskSpec.of("c", ""));
    }
  }

  @Test
  void listShowsTheCountsAndTheTasksOfEachStateOrOfOne() throws Exception {
    CliRun all = CliRun.run("tasks", "list", "--store", store(), "--queue", "q");
    assertThat(all.code()).as(all.both()).isZero();
    assertThat(all.out()).contains("queue q on " + store()).contains("INBOX 1")
        .contains("IN_PROGRESS 1").contains("BLOCKED 1").contains("DONE 0")
        .contains("failed 1 attempts: disk full").contains("w1");
    assertThat(all.out().lines().filter(l -> l.startsWith("  a ") || l.startsWith("  b ")
        || l.startsWith("  c "))).hasSize(3);

    CliRun blocked = CliRun.run("tasks", "list", "--store", store(), "--queue", "q", "--state",
        "blocked", "--json");
    assertThat(blocked.code()).as(blocked.both()).isZero();
    JsonNode doc = JSON.readTree(blocked.out());
    assertThat(doc.get("format").asText()).isEqualTo("heartbeat-tasks/1");
    assertThat(doc.get("counts").get("BLOCKED").asLong()).isEqualTo(1);
    assertThat(doc.get("counts").get("INBOX").asLong()).isEqualTo(1);
    assertThat(doc.get("tasks")).hasSize(1);
    assertThat(doc.get("tasks").get(0).get("id").asText()).isEqualTo("b");
    assertThat(doc.get("tasks").get(0).get("attempts").get(0).get("stackTrace").isNull())
        .as("a listing leaves stack traces out").isTrue();

    CliRun badLimit = CliRun.run("tasks", "list", "--store", store(), "--queue", "q", "--limit",
        "0");
    assertThat(badLimit.code()).isEqualTo(64);
    assertThat(badLimit.err()).contains("--limit").contains("0");
  }

  @Test
  void showPrintsOneTaskWithItsAttemptHistory() throws Exception {
    CliRun text = CliRun.run("tasks", "show", "--store", store(), "--queue", "q", "--id", "b");
    assertThat(text.code()).as(text.both()).isZero();
    assertThat(text.out()).contains("task b in queue q").contains("BLOCKED")
        .contains("#1 FAILED on w1").contains("disk full");

    CliRun json = CliRun.run("tasks", "show", "--store", store(), "--queue", "q", "--id", "b",
        "--json");
    JsonNode task = JSON.readTree(json.out()).get("task");
    assertThat(JSON.readTree(json.out()).get("format").asText()).isEqualTo("heartbeat-task/1");
    assertThat(task.get("state").asText()).isEqualTo("BLOCKED");
    assertThat(task.get("payload").asText()).isEqualTo("{\"n\":2}");
    assertThat(task.get("spec").get("maxAttempts").asInt()).isEqualTo(3);
    JsonNode attempt = task.get("attempts").get(0);
    assertThat(attempt.get("outcome").asText()).isEqualTo("FAILED");
    assertThat(attempt.get("errorClass").asText()).isEqualTo("java.io.IOException");
    assertThat(attempt.get("stackTrace").asText()).contains("x.Y(Y.java:1)");

    CliRun unknown = CliRun.run("tasks", "show", "--store", store(), "--queue", "q", "--id",
        "nope");
    assertThat(unknown.code()).as(unknown.both()).isEqualTo(3);
    assertThat(unknown.err()).contains("task 'nope' is unknown to queue q");
  }

  @Test
  void submitIsIdempotentByIdAndChecksItsValues() throws Exception {
    Path payload = dir.resolve("payload.json");
    Files.writeString(payload, "{\"file\":\"a.csv\"}");
    CliRun first = CliRun.run("tasks", "submit", "--store", store(), "--queue", "q", "--id", "d",
        "--payload-file", payload.toString(), "--attempt-timeout", "10m", "--max-attempts", "5");
    assertThat(first.code()).as(first.both()).isZero();
    assertThat(first.out()).contains("submitted task d to queue q");
    CliRun again = CliRun.run("tasks", "submit", "--store", store(), "--queue", "q", "--id", "d",
        "--payload", "other", "--json");
    assertThat(again.code()).as(again.both()).isZero();
    JsonNode task = JSON.readTree(again.out()).get("task");
    assertThat(task.get("payload").asText()).as("unchanged").isEqualTo("{\"file\":\"a.csv\"}");
    assertThat(task.get("spec").get("attemptTimeoutMillis").asLong()).isEqualTo(600_000);
    assertThat(task.get("spec").get("maxAttempts").asInt()).isEqualTo(5);

    CliRun badAttempts = CliRun.run("tasks", "submit", "--store", store(), "--queue", "q", "--id",
        "e", "--max-attempts", "0");
    assertThat(badAttempts.code()).isEqualTo(64);
    assertThat(badAttempts.err()).contains("maxAttempts").contains("0");
    CliRun badId = CliRun.run("tasks", "submit", "--store", store(), "--queue", "q", "--id",
        "bell\u0007");
    assertThat(badId.code()).isEqualTo(64);
    assertThat(badId.err()).contains("--id");
    CliRun badQueue = CliRun.run("tasks", "list", "--store", store(), "--queue", " ");
    assertThat(badQueue.code()).isEqualTo(64);
    assertThat(badQueue.err()).contains("--queue");
    CliRun both = CliRun.run("tasks", "submit", "--store", store(), "--queue", "q", "--id", "e",
        "--payload", "x", "--payload-file", payload.toString());
    assertThat(both.code()).isEqualTo(64);

    Path missing = dir.resolve("typo");
    CliRun nowhere = CliRun.run("tasks", "submit", "--store", "file:" + missing, "--queue", "q",
        "--id", "e");
    assertThat(nowhere.code()).as(nowhere.both()).isEqualTo(4);
    assertThat(missing).as("nothing created").doesNotExist();
  }

  @Test
  void retryAndCancelChangeOnlyWhatTheirStateAllows() throws Exception {
    CliRun retry = CliRun.run("tasks", "retry", "--store", store(), "--queue", "q", "--id", "b");
    assertThat(retry.code()).as(retry.both()).isZero();
    assertThat(retry.out()).contains("retried task b");
    CliRun notBlocked = CliRun.run("tasks", "retry", "--store", store(), "--queue", "q", "--id",
        "a");
    assertThat(notBlocked.code()).as(notBlocked.both()).isEqualTo(5);
    assertThat(notBlocked.err()).contains("IN_PROGRESS").contains("only a BLOCKED task");

    CliRun cancelInbox = CliRun.run("tasks", "cancel", "--store", store(), "--queue", "q", "--id",
        "c");
    assertThat(cancelInbox.code()).as(cancelInbox.both()).isZero();
    assertThat(cancelInbox.out()).contains("cancelled task c");
    CliRun cancelRunning = CliRun.run("tasks", "cancel", "--store", store(), "--queue", "q",
        "--id", "a", "--json");
    assertThat(cancelRunning.code()).as(cancelRunning.both()).isZero();
    JsonNode a = JSON.readTree(cancelRunning.out()).get("task");
    assertThat(a.get("state").asText()).isEqualTo("IN_PROGRESS");
    assertThat(a.get("cancelRequested").asBoolean()).isTrue();
    CliRun cancelFinal = CliRun.run("tasks", "cancel", "--store", store(), "--queue", "q", "--id",
        "c");
    assertThat(cancelFinal.code()).as(cancelFinal.both()).isEqualTo(5);
    assertThat(cancelFinal.err()).contains("CANCELLED");
    CliRun cancelUnknown = CliRun.run("tasks", "cancel", "--store", store(), "--queue", "q",
        "--id", "nope");
    assertThat(cancelUnknown.code()).isEqualTo(3);

    try (FileStore store = FileStore.open(dir)) {
      TaskStore tasks = store.tasks().orElseThrow();
      assertThat(tasks.read("q", "b").orElseThrow().state()).isEqualTo(TaskState.INBOX);
      assertThat(tasks.read("q", "c").orElseThrow().state()).isEqualTo(TaskState.CANCELLED);
    }
  }

  @Test
  void tasksNeedsASubcommand() {
    CliRun none = CliRun.run("tasks");
    assertThat(none.code()).isEqualTo(64);
    assertThat(none.err()).contains("list, show, submit, retry or cancel");
  }
}
