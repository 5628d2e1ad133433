package dev.heartbeat.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.spi.TaskStore;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A claim reads the claim index, whatever the number of final tasks: with 100,000 final rows in
 * the queue, the database plans the claim's select as a range of {@code tasks_claimable} (which
 * final rows are not in, or sit apart in as NULL), so it never scans them.
 */
class TaskClaimIndexTest {
  private static final int FINAL_ROWS = 100_000;

  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void theClaimIsARangeOfTheClaimIndexNotAScanOfFinalRows(JdbcHarness db) {
    // tables of their own, dropped after (emptying 100,000 rows for reuse is slow on H2)
    String prefix = JdbcHarness.randomPrefix();
    JdbcStore store = JdbcStore.builder(db.dataSource()).tablePrefix(prefix).createSchema(true)
        .build();
    try {
      TaskStore tasks = store.tasks().orElseThrow();
      TaskSql sql = new TaskSql(store.dialect(), store.tablePrefix());
      insertFinalRows(store, sql);
      tasks.submit("jobs", TaskSpec.of("due", ""));
      String plan = Plans.explain(store, sql.candidates, "jobs", Long.MAX_VALUE / 2, 10);
      assertThat(plan.toLowerCase(Locale.ROOT)).as(plan)
          .contains((store.tablePrefix() + "tasks_claimable").toLowerCase(Locale.ROOT));
      assertThat(tasks.claim("jobs", "w", "w-1", 10, Duration.ofSeconds(10)))
          .extracting(c -> c.task().id()).containsExactly("due");
      assertThat(tasks.counts("jobs").of(TaskState.DONE)).isEqualTo(FINAL_ROWS);
    } finally {
      store.dropSchema();
      store.close();
    }
  }

  private static void insertFinalRows(JdbcStore store, TaskSql sql) {
    String columns = " (queue_name, task_id, state, due_at, created_at, updated_at) ";
    String insert = switch (store.dialect()) {
      case POSTGRESQL -> "INSERT INTO " + sql.tasks + columns + "SELECT 'jobs', 'done-' || g,"
          + " 'DONE', g, g, g FROM generate_series(1, " + FINAL_ROWS + ") g";
      case MARIADB -> "INSERT INTO " + sql.tasks + columns + "SELECT 'jobs', CONCAT('done-', seq),"
          + " 'DONE', seq, seq, seq FROM seq_1_to_" + FINAL_ROWS;
      case H2 -> "INSERT INTO " + sql.tasks + columns + "SELECT 'jobs', CONCAT('done-', X),"
          + " 'DONE', X, X, X FROM SYSTEM_RANGE(1, " + FINAL_ROWS + ")";
    };
    String analyze = switch (store.dialect()) {
      case POSTGRESQL -> "ANALYZE " + sql.tasks;
      case MARIADB, H2 -> "ANALYZE TABLE " + sql.tasks;
    };
    store.withConnection(c -> {
      try (Statement st = c.createStatement()) {
        st.executeUpdate(insert);
        st.execute(analyze);
      }
      return null;
    });
  }
}
