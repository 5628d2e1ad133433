package dev.heartbeat.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.TaskResult;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.ClaimEnd;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The round trips of the task path on PostgreSQL, counted by a {@link CountingDataSource} on the
 * real database (statements, batches and commits): a submit of a new id is one query of two
 * statements (an insert that returns the row, the take-up of its reserved token) that the
 * server runs and commits as one implicit transaction; a claim of many due tasks is one
 * statement (rows, attempts, the clock) and the commit, plus one read of the earlier attempts of
 * retried tasks; a DONE end is one statement; a failed end locks the row, writes it with its
 * attempt in one statement, signals the queue and commits. Counts, not timings.
 */
class TaskRoundTripTest {
  private static final Duration TTL = Duration.ofSeconds(30);

  private CountingDataSource counting;
  private JdbcStore store;
  private TaskStore tasks;

  @BeforeEach
  void open() {
    counting = new CountingDataSource(Databases.POSTGRES.dataSource());
    store = JdbcStore.builder(counting).tablePrefix(JdbcHarness.randomPrefix())
        .createSchema(true).build();
    tasks = store.tasks().orElseThrow();
  }

  @AfterEach
  void close() {
    store.dropSchema();
    store.close();
  }

  @Test
  void aSubmitOfANewIdIsOneRoundTrip() {
    int trips = counting.tripsOf(() -> tasks.submit("jobs", TaskSpec.of("a", "payload")));
    assertThat(trips).isEqualTo(1);
    assertThat(tasks.read("jobs", "a").orElseThrow().state()).isEqualTo(TaskState.INBOX);
  }

  @Test
  void aSubmitOfAPrunedIdStillTakesUpItsToken() {
    tasks.submit("jobs", TaskSpec.of("a", ""));
    TaskClaim first = tasks.claim("jobs", "w", "w-1", 1, TTL).getFirst();
    assertThat(tasks.end(first.claim(), done())).isTrue();
    assertThat(tasks.prune("jobs", java.time.Instant.now().plusSeconds(3600), 10)).isEqualTo(1);
    int trips = counting.tripsOf(() -> tasks.submit("jobs", TaskSpec.of("a", "")));
    assertThat(trips).isEqualTo(1);
    TaskClaim again = tasks.claim("jobs", "w", "w-1", 1, TTL).getFirst();
    assertThat(again.claim().token()).isGreaterThan(first.claim().token());
  }

  @Test
  void theTwoStatementsOfASubmitCommitTogetherOrNotAtAll() {
    store.withConnection(c -> {
      try (java.sql.Statement st = c.createStatement()) {
        st.execute("DROP TABLE " + store.tablePrefix() + "task_tokens"); // the second one fails
      }
      return null;
    });
    assertThatThrownBy(() -> tasks.submit("jobs", TaskSpec.of("a", "")))
        .isInstanceOf(HeartbeatStoreException.class);
    int rows = store.withConnection(c -> {
      try (java.sql.Statement st = c.createStatement();
          java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + store.tablePrefix()
              + "tasks")) {
        rs.next();
        return rs.getInt(1);
      }
    });
    assertThat(rows).as("the insert before the failed statement").isZero();
  }

  @Test
  void aClaimOfFourTasksIsOneStatementAndTheCommit() {
    for (int i = 0; i < 4; i++) {
      tasks.submit("jobs", TaskSpec.of("t" + i, ""));
    }
    List<TaskClaim> claims = new ArrayList<>();
    int trips = counting.tripsOf(() -> claims.addAll(tasks.claim("jobs", "w", "w-1", 4, TTL)));
    assertThat(trips).isEqualTo(2);
    assertThat(claims).extracting(c -> c.task().id()).containsExactly("t0", "t1", "t2", "t3");
    assertThat(claims).allSatisfy(c -> assertThat(c.task().attempts()).singleElement()
        .satisfies(a -> {
          assertThat(a.number()).isEqualTo(1);
          assertThat(a.worker()).isEqualTo("w");
          assertThat(a.incarnation()).isEqualTo("w-1");
          assertThat(a.token()).isEqualTo(c.claim().token());
          assertThat(a.endedAt()).isEmpty();
        }));
  }

  @Test
  void aClaimOfRetriedTasksReadsTheirEarlierAttemptsOnce() {
    for (int i = 0; i < 3; i++) {
      tasks.submit("jobs", TaskSpec.of("t" + i, ""));
    }
    for (TaskClaim first : tasks.claim("jobs", "w", "w-1", 3, TTL)) {
      assertThat(tasks.end(first.claim(), failed(Duration.ZERO))).isTrue();
    }
    List<TaskClaim> claims = new ArrayList<>();
    int trips = counting.tripsOf(() -> claims.addAll(tasks.claim("jobs", "v", "v-1", 3, TTL)));
    assertThat(trips).as("the claim, one read of the earlier attempts, the commit").isEqualTo(3);
    assertThat(claims).extracting(c -> c.task().id()).containsExactly("t0", "t1", "t2");
    assertThat(claims).allSatisfy(c -> {
      assertThat(c.task().attempts()).extracting(a -> a.number()).containsExactly(1, 2);
      assertThat(c.task().attempts().get(0).outcome()).contains(
          dev.heartbeat.AttemptOutcome.FAILED);
      assertThat(c.task().attempts().get(1).worker()).isEqualTo("v");
      assertThat(c.task().attempts().get(1).token()).isEqualTo(c.claim().token());
    });
  }

  @Test
  void aClaimThatMeetsAnExpiredClaimTakesItOverAndRecordsTheLostAttempt() {
    tasks.submit("jobs", TaskSpec.of("old", ""));
    TaskClaim lost = tasks.claim("jobs", "w", "w-1", 1, Duration.ofMillis(1)).getFirst();
    tasks.submit("jobs", TaskSpec.of("new", ""));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<TaskClaim> claims = new ArrayList<>();
    while (claims.size() < 2 && System.nanoTime() < deadline) { // the store clock is real time
      claims.addAll(tasks.claim("jobs", "v", "v-1", 2, TTL));
    }
    assertThat(claims).extracting(c -> c.task().id()).containsExactlyInAnyOrder("old", "new");
    TaskClaim again = claims.stream().filter(c -> c.task().id().equals("old")).findFirst()
        .orElseThrow();
    assertThat(again.claim().token()).isGreaterThan(lost.claim().token());
    assertThat(again.task().attempts()).extracting(a -> a.outcome().orElse(null))
        .containsExactly(dev.heartbeat.AttemptOutcome.WORKER_LOST, null);
    assertThat(tasks.end(lost.claim(), done())).as("the lost claim is fenced out").isFalse();
  }

  @Test
  void aClaimOfAnEmptyQueueIsTwoRoundTrips() {
    int trips = counting.tripsOf(() -> assertThat(tasks.claim("jobs", "w", "w-1", 4, TTL))
        .isEmpty());
    assertThat(trips).isEqualTo(2);
  }

  @Test
  void aDoneEndIsOneRoundTrip() {
    tasks.submit("jobs", TaskSpec.of("a", ""));
    TaskClaim claim = tasks.claim("jobs", "w", "w-1", 1, TTL).getFirst();
    int trips = counting.tripsOf(() -> assertThat(tasks.end(claim.claim(), done())).isTrue());
    assertThat(trips).isEqualTo(1);
    var view = tasks.read("jobs", "a").orElseThrow();
    assertThat(view.state()).isEqualTo(TaskState.DONE);
    assertThat(view.attempts()).singleElement().satisfies(a -> assertThat(a.outcome())
        .contains(dev.heartbeat.AttemptOutcome.DONE));
  }

  @Test
  void aFailedEndIsFourRoundTrips() {
    tasks.submit("jobs", TaskSpec.of("a", ""));
    TaskClaim claim = tasks.claim("jobs", "w", "w-1", 1, TTL).getFirst();
    int trips = counting.tripsOf(() -> assertThat(tasks.end(claim.claim(), failed())).isTrue());
    assertThat(trips).as("lock, the write with its attempt, the queue's signal, commit")
        .isEqualTo(4);
    assertThat(tasks.read("jobs", "a").orElseThrow().state()).isEqualTo(TaskState.INBOX);
  }

  @Test
  void theDoneEndsOfABatchAreOneStatementAndTheOthersOneTransaction() {
    for (String id : List.of("a", "b", "c", "d", "e")) {
      tasks.submit("jobs", TaskSpec.of(id, ""));
    }
    List<TaskClaim> claims = tasks.claim("jobs", "w", "w-1", 5, TTL);
    List<ClaimEnd> ends = List.of(new ClaimEnd(claims.get(0).claim(), done()),
        new ClaimEnd(claims.get(1).claim(), failed()),
        new ClaimEnd(claims.get(2).claim(), done()),
        new ClaimEnd(claims.get(3).claim(), failed()),
        new ClaimEnd(claims.get(4).claim(), done()));
    int trips = counting.tripsOf(() -> assertThat(tasks.endAll(ends))
        .containsExactly(true, true, true, true, true));
    assertThat(trips).as("one statement for the three done, then 2 locking reads, 2 writes, one"
        + " signal and a commit (one by one: 1 + 4 + 1 + 4 + 1)").isEqualTo(7);
    assertThat(tasks.counts("jobs").of(TaskState.DONE)).isEqualTo(3);
    assertThat(tasks.counts("jobs").of(TaskState.INBOX)).isEqualTo(2);
  }

  private static AttemptEnd failed() {
    return failed(Duration.ofSeconds(30));
  }

  private static AttemptEnd failed(Duration retryDelay) {
    return new AttemptEnd(dev.heartbeat.AttemptOutcome.FAILED, Optional.of("java.io.IOException"),
        Optional.of("disk full"), Optional.empty(), TaskState.INBOX, retryDelay,
        Optional.empty());
  }

  private static AttemptEnd done() {
    return new AttemptEnd(dev.heartbeat.AttemptOutcome.DONE, Optional.empty(), Optional.empty(),
        Optional.empty(), TaskState.DONE, Duration.ZERO, TaskResult.done().text());
  }
}
