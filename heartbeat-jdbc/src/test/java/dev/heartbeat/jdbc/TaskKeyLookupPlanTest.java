package dev.heartbeat.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Statement;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The look-up of one task by its key (an end's, a cancel's and a retry's locking read) is planned
 * on the primary key on a table the planner has no statistics of: 2,000 tasks of one queue,
 * never analyzed (autovacuum off for the table), as in the first minute of a deployment; so is a
 * progress write, a compare-and-set by key. On
 * PostgreSQL an index that leads with the queue name tied with the primary key there and won,
 * and every end scanned the whole queue (0.5 ms at 2,000 rows); the queue's other indexes are now
 * partial, so the key's look-up cannot use them.
 */
class TaskKeyLookupPlanTest {
  private static final int ROWS = 2_000;

  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void aLookUpByKeyUsesThePrimaryKeyOnATableNeverAnalyzed(JdbcHarness db) {
    String prefix = JdbcHarness.randomPrefix();
    JdbcStore store = JdbcStore.builder(db.dataSource()).tablePrefix(prefix).createSchema(true)
        .build();
    try {
      TaskSql sql = new TaskSql(store.dialect(), store.tablePrefix());
      insertInboxRows(store, sql);
      String plan = Plans.explain(store, sql.lockTask, 0L, "jobs", "t-77")
          + Plans.explain(store, sql.progress, "p", null, 0L, "jobs", "t-77", "w", 1L, 0L);
      String primary = switch (store.dialect()) {
        case POSTGRESQL -> store.tablePrefix() + "tasks_pkey";
        case MARIADB -> "primary";
        case H2 -> "primary_key";
      };
      assertThat(plan.toLowerCase(Locale.ROOT)).as(plan)
          .contains(primary.toLowerCase(Locale.ROOT));
      if (store.dialect() == Dialect.POSTGRESQL) { // MariaDB lists every possible key
        assertThat(plan).as(plan).doesNotContain("tasks_by_state", "tasks_final", "tasks_state",
            "tasks_updated", "tasks_claimable");
      }
    } finally {
      store.dropSchema();
      store.close();
    }
  }

  private static void insertInboxRows(JdbcStore store, TaskSql sql) {
    String columns = " (queue_name, task_id, state, due_at, claimable_at, created_at,"
        + " updated_at) ";
    String insert = switch (store.dialect()) {
      case POSTGRESQL -> "INSERT INTO " + sql.tasks + columns + "SELECT 'jobs', 't-' || g,"
          + " 'INBOX', g, g, g, g FROM generate_series(1, " + ROWS + ") g";
      case MARIADB -> "INSERT INTO " + sql.tasks + columns + "SELECT 'jobs', CONCAT('t-', seq),"
          + " 'INBOX', seq, seq, seq, seq FROM seq_1_to_" + ROWS;
      case H2 -> "INSERT INTO " + sql.tasks + columns + "SELECT 'jobs', CONCAT('t-', X),"
          + " 'INBOX', X, X, X, X FROM SYSTEM_RANGE(1, " + ROWS + ")";
    };
    store.withConnection(c -> {
      try (Statement st = c.createStatement()) {
        if (store.dialect() == Dialect.POSTGRESQL) {
          st.execute("ALTER TABLE " + sql.tasks + " SET (autovacuum_enabled = false)");
        }
        st.executeUpdate(insert);
      }
      return null;
    });
  }
}
