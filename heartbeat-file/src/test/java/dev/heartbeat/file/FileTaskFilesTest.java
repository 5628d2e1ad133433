package dev.heartbeat.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.StoreProblem;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskStore;
import dev.heartbeat.tck.ManualTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The task files on disk: where each lives, a damaged task file reported once and skipped, a
 * claim that reads only the index's candidates, an index that is missing or damaged rebuilt from
 * the task files, an index entry whose task file a crash never wrote dropped, tokens that grow
 * when the index and the counter copies are lost, and the bound of tasks per queue.
 */
class FileTaskFilesTest {
  private static final String Q = "jobs";
  private static final Duration TTL = Duration.ofSeconds(10);
  private final ManualTime time = new ManualTime();
  private final Path dir = FileHarness.freshDirectory();
  private FileStore store = FileStore.open(dir, time, 5);
  private TaskStore tasks = store.tasks().orElseThrow();

  @AfterEach
  void close() {
    store.close();
  }

  private Path queueDir() {
    return store.directory().resolve("tasks").resolve(Q);
  }

  private Path taskFile(String id) {
    return ((FileTaskStore) tasks).files(Q).taskFile(id);
  }

  private Path index() {
    return queueDir().resolve("INDEX.json");
  }

  private TaskClaim claimOne(String worker) {
    List<TaskClaim> claims = tasks.claim(Q, worker, worker + "-1", 1, TTL);
    assertThat(claims).as("claims of %s", worker).hasSize(1);
    return claims.getFirst();
  }

  private static AttemptEnd done() {
    return new AttemptEnd(AttemptOutcome.DONE, Optional.empty(), Optional.empty(),
        Optional.empty(), TaskState.DONE, Duration.ZERO, Optional.of("ok"));
  }

  /** Runs the task to DONE and prunes it; the token of its claim. */
  private long runAndPrune(String id) {
    tasks.submit(Q, TaskSpec.of(id, ""));
    TaskClaim claim = claimOne("w1");
    assertThat(tasks.end(claim.claim(), done())).isTrue();
    time.advance(Duration.ofSeconds(1));
    assertThat(tasks.prune(Q, store.now(), 10)).isEqualTo(1);
    return claim.task().token();
  }

  @Test
  void eachQueueIsADirectoryOfTaskFilesWithAnIndexAndTwoCounterCopies() {
    tasks.submit(Q, TaskSpec.of("A/../b", "{}"));
    claimOne("w1");
    assertThat(taskFile("A/../b")).isEqualTo(queueDir().resolve("%41%2F%2E%2E%2Fb.json"))
        .exists();
    assertThat(queueDir().resolve("TOKEN.json")).exists();
    assertThat(queueDir().resolve("TOKEN.copy.json")).exists();
    assertThat(index()).content().contains("\"id\" : \"A/../b\"")
        .contains("\"state\" : \"IN_PROGRESS\"");
    assertThat(taskFile("A/../b")).content().contains("\"format\" : 1")
        .contains("\"queue\" : \"jobs\"");
    assertThat(store.directory().resolve("locks").resolve("queue-jobs.lock")).exists();
    assertThat(store.problems()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void aDamagedTaskFileIsReportedOnceWithItsPathAndSkipped(Damage damage) {
    tasks.submit(Q, TaskSpec.of("bad", ""));
    time.advance(Duration.ofSeconds(1));
    tasks.submit(Q, TaskSpec.of("good", ""));
    Path file = taskFile("bad");
    damage.apply(file);

    assertThat(tasks.read(Q, "bad")).isEmpty();
    assertThat(tasks.list(Q, TaskState.INBOX, 10)).extracting(TaskView::id)
        .containsExactly("good");
    assertThat(tasks.counts(Q).total()).isEqualTo(1);
    TaskClaim good = claimOne("w1");
    assertThat(good.task().id()).as("the damaged one is skipped").isEqualTo("good");
    assertThat(tasks.claim(Q, "w1", "w1-1", 5, TTL)).isEmpty();
    assertThat(tasks.cancel(Q, "bad")).isEmpty();
    assertThat(tasks.list(Q, TaskState.INBOX, 10)).isEmpty();
    assertReportedOnce(file);

    TaskView again = tasks.submit(Q, TaskSpec.of("bad", "again"));
    assertThat(again.state()).as("a submit replaces it").isEqualTo(TaskState.INBOX);
    assertThat(tasks.read(Q, "bad")).contains(again);
    assertThat(claimOne("w2").task().token()).isGreaterThan(good.task().token());
    assertReportedOnce(file);
  }

  @Test
  void aClaimReadsOnlyTheCandidatesTheIndexNames() {
    tasks.submit(Q, TaskSpec.of("final", ""));
    tasks.submit(Q, TaskSpec.of("later", ""));
    tasks.cancel(Q, "final");
    Damage.TRUNCATED.apply(taskFile("final"));
    assertThat(claimOne("w1").task().id()).isEqualTo("later");
    assertThat(store.problems()).as("the final task's file was not read").isEmpty();
  }

  @Test
  void aMissingIndexIsRebuiltFromTheTaskFiles() throws IOException {
    for (String id : List.of("a", "b", "c")) {
      tasks.submit(Q, TaskSpec.of(id, ""));
      time.advance(Duration.ofSeconds(1));
    }
    TaskClaim a = claimOne("w1");
    TaskClaim b = claimOne("w1");
    assertThat(tasks.end(b.claim(), done())).isTrue();
    Files.delete(index());

    assertThat(tasks.claim(Q, "w2", "w2-1", 5, TTL)).extracting(c -> c.task().id())
        .as("a is still held, b is done").containsExactly("c");
    assertThat(index()).exists();
    time.advance(TTL);
    TaskClaim again = claimOne("w2");
    assertThat(again.task().id()).isEqualTo("a");
    assertThat(again.task().token()).isGreaterThan(a.task().token());
    assertThat(again.task().attempts().getFirst().outcome()).contains(AttemptOutcome.WORKER_LOST);
    assertThat(store.problems()).as("a missing index is no damage").isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void aDamagedIndexIsReportedAndRebuilt(Damage damage) {
    tasks.submit(Q, TaskSpec.of("a", ""));
    time.advance(Duration.ofSeconds(1));
    tasks.submit(Q, TaskSpec.of("b", ""));
    long token = claimOne("w1").task().token();
    damage.apply(index());

    TaskClaim b = claimOne("w1");
    assertThat(b.task().id()).isEqualTo("b");
    assertThat(b.task().token()).isGreaterThan(token);
    assertReportedOnce(index());
    assertThat(tasks.claim(Q, "w1", "w1-1", 5, TTL)).isEmpty();
    assertReportedOnce(index());
  }

  @Test
  void anIndexEntryWhoseTaskFileWasNeverWrittenIsDropped() throws IOException {
    tasks.submit(Q, TaskSpec.of("ghost", ""));
    tasks.submit(Q, TaskSpec.of("real", ""));
    Files.delete(taskFile("ghost")); // what a crash between the index and the task file leaves
    assertThat(claimOne("w1").task().id()).isEqualTo("real");
    assertThat(index()).content().doesNotContain("ghost");
    assertThat(store.problems()).isEmpty();
  }

  /**
   * An end that puts the task back due at once writes the index first: a crash before its task
   * file leaves an entry earlier than the file, which a claim corrects, and the task is claimed
   * again once the claim the file still holds expires.
   */
  @Test
  void anEntryEarlierThanItsTaskFileIsCorrectedByTheFile() throws IOException {
    tasks.submit(Q, TaskSpec.of("t1", ""));
    TaskClaim first = claimOne("w1");
    byte[] held = Files.readAllBytes(taskFile("t1"));
    assertThat(tasks.end(first.claim(), new AttemptEnd(AttemptOutcome.RELEASED, Optional.empty(),
        Optional.empty(), Optional.empty(), TaskState.INBOX, Duration.ZERO, Optional.empty())))
        .isTrue();
    Files.write(taskFile("t1"), held); // the crash: the index was written, the task file not
    assertThat(tasks.claim(Q, "w2", "w2-1", 1, TTL)).as("the file says it is held").isEmpty();
    assertThat(index()).content().contains("\"state\" : \"IN_PROGRESS\"");
    time.advance(TTL);
    TaskClaim again = claimOne("w2");
    assertThat(again.task().token()).isGreaterThan(first.task().token());
    assertThat(again.task().attempts().getFirst().outcome()).contains(AttemptOutcome.WORKER_LOST);
  }

  @Test
  void tokensGrowWhenTheIndexAndOneCounterCopyAreLost() throws IOException {
    long first = runAndPrune("t1");
    Files.delete(index());
    Damage.NOT_JSON.apply(queueDir().resolve("TOKEN.json"));
    tasks.submit(Q, TaskSpec.of("t1", ""));
    assertThat(claimOne("w1").task().token()).isGreaterThan(first);
  }

  @Test
  void tokensGrowWhenEveryCopyOfTheCounterIsLost() throws IOException {
    long first = runAndPrune("t1");
    Files.delete(index());
    Damage.EMPTY.apply(queueDir().resolve("TOKEN.json"));
    Damage.EMPTY.apply(queueDir().resolve("TOKEN.copy.json"));
    tasks.submit(Q, TaskSpec.of("t1", ""));
    long next = claimOne("w1").task().token();
    assertThat(next).as("the clock in microseconds stands in").isGreaterThan(first)
        .isGreaterThanOrEqualTo(store.now().toEpochMilli() * 1000);
    assertThat(store.problems()).extracting(StoreProblem::location)
        .contains(queueDir().resolve("TOKEN.json").toString());
  }

  @Test
  void aFullQueueRefusesNewTasksUntilPruned() throws IOException {
    store.close();
    store = FileStore.builder(dir).clock(time).maxTasks(3).build();
    tasks = store.tasks().orElseThrow();
    for (String id : List.of("a", "b", "c")) {
      tasks.submit(Q, TaskSpec.of(id, ""));
    }
    assertThat(tasks.submit(Q, TaskSpec.of("a", "")).id()).as("a known id is fine")
        .isEqualTo("a");
    tasks.cancel(Q, "a");
    Files.delete(index()); // the rebuilt index counts the final task too
    assertThatThrownBy(() -> tasks.submit(Q, TaskSpec.of("d", "")))
        .isInstanceOf(HeartbeatStoreException.class)
        .hasMessageContaining("queue 'jobs' holds 3 tasks").hasMessageContaining("'d'");
    tasks.submit("other", TaskSpec.of("d", ""));
    time.advance(Duration.ofSeconds(1));
    assertThat(tasks.prune(Q, store.now(), 10)).isEqualTo(1);
    assertThat(tasks.submit(Q, TaskSpec.of("d", "")).state()).isEqualTo(TaskState.INBOX);
    assertThatThrownBy(() -> tasks.submit(Q, TaskSpec.of("e", "")))
        .isInstanceOf(HeartbeatStoreException.class);
  }

  private void assertReportedOnce(Path file) {
    assertThat(store.problems()).extracting(StoreProblem::location)
        .containsOnlyOnce(file.toString());
  }
}
