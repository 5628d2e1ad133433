package dev.heartbeat.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL keeps one generic plan of a prepared statement once its estimated cost is no higher
 * than the custom plans' (after five executions), and plans every execution anew otherwise: the
 * one-statement claim and the one-statement DONE end planned every call (planning cost more than
 * running them, by {@code pg_stat_statements} in a drain), because their generic plans, not
 * knowing how many rows a bound {@code LIMIT} or a bound array holds, guessed many (the claim's
 * then hashed the whole table). With the sizes written into the statements, on an analyzed queue
 * of 2,000 tasks, the generic plans cost what the custom ones do and look the rows up by key.
 */
class TaskGenericPlanTest {
  private static final int ROWS = 2_000;

  private JdbcStore store;
  private TaskSql sql;

  @BeforeEach
  void open() {
    store = JdbcStore.builder(Databases.POSTGRES.dataSource())
        .tablePrefix(JdbcHarness.randomPrefix()).createSchema(true).build();
    sql = new TaskSql(store.dialect(), store.tablePrefix());
    store.withConnection(c -> {
      try (Statement st = c.createStatement()) {
        st.executeUpdate("INSERT INTO " + sql.tasks + " (queue_name, task_id, state, token,"
            + " due_at, claimable_at, created_at, updated_at, attempts, version) SELECT 'jobs',"
            + " 't-' || g, 'INBOX', 0, g, g, g, g, 0, 0 FROM generate_series(1, " + ROWS + ") g");
        st.execute("ANALYZE " + sql.tasks);
      }
      return null;
    });
  }

  @AfterEach
  void close() {
    store.dropSchema();
    store.close();
  }

  @Test
  void theGenericPlanOfAClaimLooksThePickedRowsUpByKey() {
    String types = "bigint, text, text, bigint, text";
    String values = "0, 'jobs', 'w', 30000000, 'w-1'";
    String generic = plan("force_generic_plan", sql.claimInbox(4), types, values);
    assertThat(generic).as(generic).contains("Index Scan using " + sql.tasks + "_pkey")
        .doesNotContain("Seq Scan on " + sql.tasks);
    String custom = plan("force_custom_plan", sql.claimInbox(4), types, values);
    assertThat(cost(generic)).as(generic + custom).isLessThanOrEqualTo(cost(custom) * 1.05);
  }

  @Test
  void theGenericPlanOfDoneEndsLooksTheRowsUpByKey() {
    String types = "text[], text[], text[], bigint[], text[], bigint";
    String values = "ARRAY['jobs', 'jobs', 'jobs'], ARRAY['t-1', 't-2', 't-3'],"
        + " ARRAY['w', 'w', 'w'], ARRAY[1, 1, 1]::bigint[], ARRAY[NULL, NULL, NULL]::text[], 0";
    String generic = plan("force_generic_plan", sql.endDoneArrays(3), types, values);
    assertThat(generic).as(generic).contains("Index Scan using " + sql.tasks + "_pkey")
        .doesNotContain("Seq Scan on " + sql.tasks);
    String custom = plan("force_custom_plan", sql.endDoneArrays(3), types, values);
    assertThat(cost(generic)).as(generic + custom).isLessThanOrEqualTo(cost(custom) * 1.05);
  }

  /** The estimated total cost of a plan's top node. */
  private static double cost(String plan) {
    Matcher m = Pattern.compile("cost=[0-9.]+\\.\\.([0-9.]+)").matcher(plan);
    assertThat(m.find()).as(plan).isTrue();
    return Double.parseDouble(m.group(1));
  }

  /**
   * The plan of {@code query} prepared on the server ({@code PREPARE}, its {@code ?} numbered)
   * and executed with {@code values}, generic or custom by {@code mode}; through JDBC a statement
   * with bound values is planned for them.
   */
  private String plan(String mode, String query, String types, String values) {
    StringBuilder numbered = new StringBuilder();
    int n = 0;
    for (char ch : query.toCharArray()) {
      numbered.append(ch == '?' ? "$" + ++n : String.valueOf(ch));
    }
    return store.withConnection(c -> {
      try (Statement st = c.createStatement()) {
        st.execute("PREPARE plan_probe(" + types + ") AS " + numbered);
        st.execute("SET plan_cache_mode = " + mode);
        StringBuilder out = new StringBuilder();
        try (ResultSet rs = st.executeQuery("EXPLAIN EXECUTE plan_probe(" + values + ")")) {
          while (rs.next()) {
            out.append(rs.getString(1)).append('\n');
          }
        } finally {
          st.execute("RESET plan_cache_mode");
          st.execute("DEALLOCATE plan_probe");
        }
        return out.toString();
      }
    });
  }
}
