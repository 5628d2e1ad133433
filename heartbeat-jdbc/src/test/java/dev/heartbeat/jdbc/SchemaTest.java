package dev.heartbeat.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.Lease;
import dev.heartbeat.StoreNotFoundException;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.Beats;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Creating the tables, and not creating them, on every database. */
class SchemaTest {

  private static final int RACERS = 6;
  private static final int ROUNDS = 4;

  /**
   * Several stores create one fresh schema at once, as processes starting together do: every
   * one succeeds and the tables are there (PostgreSQL failed with a duplicate key in
   * pg_type_typname_nsp_index or "relation already exists").
   */
  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void storesCreatingOneFreshSchemaAtOnceAllSucceed(JdbcHarness db) throws Exception {
    java.util.concurrent.ExecutorService racers =
        java.util.concurrent.Executors.newFixedThreadPool(RACERS);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        String prefix = JdbcHarness.randomPrefix();
        List<JdbcStore> stores = new java.util.ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
          stores.add(unbuilt(db, prefix));
        }
        java.util.concurrent.CyclicBarrier start =
            new java.util.concurrent.CyclicBarrier(RACERS);
        List<java.util.concurrent.Future<?>> created = new java.util.ArrayList<>();
        for (JdbcStore store : stores) {
          created.add(racers.submit(() -> {
            start.await(30, java.util.concurrent.TimeUnit.SECONDS);
            store.createSchema();
            return null;
          }));
        }
        try {
          for (java.util.concurrent.Future<?> f : created) {
            f.get(60, java.util.concurrent.TimeUnit.SECONDS);
          }
          assertThat(missing(stores.getFirst())).as("round " + round).isEmpty();
        } finally {
          stores.getFirst().dropSchema();
          stores.forEach(JdbcStore::close);
        }
      }
    } finally {
      racers.shutdownNow();
    }
  }

  private static List<String> missing(JdbcStore store) {
    return store.withConnection(c -> Schema.missingTables(c, store.sql()));
  }

  private static JdbcStore unbuilt(JdbcHarness db, String prefix) {
    return JdbcStore.builder(db.dataSource()).tablePrefix(prefix).build();
  }

  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void openExistingWithoutTablesNamesThemAndCreatesNothing(JdbcHarness db) {
    String prefix = JdbcHarness.randomPrefix();
    assertThatThrownBy(() -> Heartbeats.openExistingStore(db.url() + "#tablePrefix=" + prefix))
        .isInstanceOf(StoreNotFoundException.class)
        .hasMessageContaining("'" + prefix + "'")
        .hasMessageContaining(prefix + "agents").hasMessageContaining(prefix + "leases")
        .hasMessageContaining("nothing was created");
    assertThat(missing(unbuilt(db, prefix))).hasSize(6);
  }

  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void openExistingReadsAStoreWhoseTablesAreThere(JdbcHarness db) {
    try (JdbcStore store = db.fresh(10)) {
      store.register(Beats.plain("seen", 1));
      try (HeartbeatStore existing = Heartbeats.openExistingStore(db.url() + "#tablePrefix="
          + store.tablePrefix())) {
        assertThat(existing.agent("seen")).isPresent();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void aStoreWithoutTablesSaysHowToCreateThem(JdbcHarness db) {
    JdbcStore store = unbuilt(db, JdbcHarness.randomPrefix());
    assertThatThrownBy(() -> store.register(Beats.plain("a", 1)))
        .isInstanceOf(HeartbeatStoreException.class)
        .hasMessageContaining("a table or column is missing")
        .hasMessageContaining("createSchema(true)")
        .hasMessageContaining("dev/heartbeat/jdbc/" + store.dialect().name().toLowerCase(
            java.util.Locale.ROOT) + ".sql");
  }

  /**
   * Tables of the version before {@code fencing.max_ttl_us}: an acquisition says how to upgrade
   * them, createSchema adds the column and keeps every row, and the old counter goes on.
   */
  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void createSchemaUpgradesTablesOfAnEarlierVersion(JdbcHarness db) {
    try (JdbcStore store = db.fresh(10)) {
      long token = store.tryAcquire("old", "a", Duration.ofSeconds(30)).orElseThrow().token();
      store.register(Beats.plain("kept", 1));
      store.withConnection(c -> {
        try (Statement st = c.createStatement()) {
          st.execute("ALTER TABLE " + store.sql().fencing + " DROP COLUMN max_ttl_us");
        }
        return null;
      });
      assertThatThrownBy(() -> store.tryAcquire("other", "a", Duration.ofSeconds(30)))
          .isInstanceOf(HeartbeatStoreException.class)
          .hasMessageContaining("a table or column is missing").hasMessageContaining("createSchema");

      store.createSchema();
      assertThat(store.agent("kept")).isPresent();
      assertThat(store.release("old", "a", token)).isTrue();
      assertThat(store.tryAcquire("old", "b", Duration.ofSeconds(30))).get()
          .extracting(Lease::token).isEqualTo(token + 1);
      store.createSchema();
    }
  }

  /**
   * Tables of the version before the incremental read (no {@code agents_gone}, no index on
   * {@code last_seen_at}): a forget says how to upgrade them; createSchema adds both and keeps
   * every row, and the incremental read then sees the forget.
   */
  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void createSchemaAddsTheChangeIndexToTablesOfAnEarlierVersion(JdbcHarness db) {
    try (JdbcStore store = db.fresh(10)) {
      store.register(Beats.plain("kept", 1));
      store.register(Beats.plain("gone", 1));
      String index = store.tablePrefix() + "agents_seen";
      store.withConnection(c -> {
        try (Statement st = c.createStatement()) {
          st.execute("DROP TABLE " + store.sql().agentsGone);
          st.execute(store.dialect() == Dialect.MARIADB
              ? "DROP INDEX " + index + " ON " + store.sql().agents : "DROP INDEX " + index);
        }
        return null;
      });
      assertThat(indexed(store, index)).isFalse();
      assertThatThrownBy(() -> store.forget("gone"))
          .isInstanceOf(HeartbeatStoreException.class)
          .hasMessageContaining("a table or column is missing").hasMessageContaining("createSchema");

      store.createSchema();
      assertThat(indexed(store, index)).isTrue();
      assertThat(store.agents()).extracting(h -> h.agentId()).containsExactly("gone", "kept");
      dev.heartbeat.spi.ChangeCursor cursor =
          store.agentsChangedSince(dev.heartbeat.spi.ChangeCursor.START).next();
      assertThat(store.forget("gone")).isTrue();
      assertThat(store.agentsChangedSince(cursor).forgotten()).containsExactly("gone");
      store.createSchema();
    }
  }

  private static boolean indexed(JdbcStore store, String index) {
    return store.withConnection(c -> {
      String table = store.sql().agents;
      for (String name : List.of(table, table.toUpperCase(java.util.Locale.ROOT))) {
        try (java.sql.ResultSet rs = c.getMetaData().getIndexInfo(null, null, name, false, false)) {
          while (rs.next()) {
            if (index.equalsIgnoreCase(rs.getString("INDEX_NAME"))) {
              return true;
            }
          }
        }
      }
      return false;
    });
  }

  /**
   * PostgreSQL tables of the version whose listing and pruning indexes were full indexes
   * ({@code tasks_state}, {@code tasks_updated}): createSchema drops them for the partial ones
   * ({@link TaskKeyLookupPlanTest} shows why) and keeps every task.
   */
  @org.junit.jupiter.api.Test
  void createSchemaReplacesThePostgresTaskIndexesOfAnEarlierVersion() {
    try (JdbcStore store = Databases.POSTGRES.fresh(10)) {
      store.tasks().orElseThrow().submit("jobs", dev.heartbeat.TaskSpec.of("kept", ""));
      String p = store.tablePrefix();
      store.withConnection(c -> {
        try (Statement st = c.createStatement()) {
          st.execute("DROP INDEX " + p + "tasks_by_state");
          st.execute("DROP INDEX " + p + "tasks_final");
          st.execute("CREATE INDEX " + p + "tasks_state ON " + p + "tasks (queue_name, state,"
              + " created_at, task_id)");
          st.execute("CREATE INDEX " + p + "tasks_updated ON " + p + "tasks (queue_name, state,"
              + " updated_at)");
        }
        return null;
      });
      store.createSchema();
      java.util.List<String> indexes = store.withConnection(c -> {
        java.util.List<String> names = new java.util.ArrayList<>();
        try (Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(
            "SELECT indexname FROM pg_indexes WHERE tablename = '" + p + "tasks'")) {
          while (rs.next()) {
            names.add(rs.getString(1).substring(p.length()));
          }
        }
        return names;
      });
      assertThat(indexes).containsExactlyInAnyOrder("tasks_pkey", "tasks_claimable",
          "tasks_by_state", "tasks_final");
      assertThat(store.tasks().orElseThrow().read("jobs", "kept")).isPresent();
    }
  }

  /**
   * Tables of the version before beats carried their interval: a beat says how to upgrade them,
   * createSchema adds {@code interval_us} to agents and history keeping every row, the old rows
   * read as beats without an interval, and new beats store theirs.
   */
  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void createSchemaAddsTheIntervalToTablesOfAnEarlierVersion(JdbcHarness db) {
    try (JdbcStore store = db.fresh(10)) {
      store.register(Beats.plain("kept", 1));
      store.withConnection(c -> {
        try (Statement st = c.createStatement()) {
          st.execute("ALTER TABLE " + store.sql().agents + " DROP COLUMN interval_us");
          st.execute("ALTER TABLE " + store.sql().heartbeats + " DROP COLUMN interval_us");
        }
        return null;
      });
      assertThatThrownBy(() -> store.record(Beats.plain("kept", 2)))
          .isInstanceOf(HeartbeatStoreException.class)
          .hasMessageContaining("a table or column is missing").hasMessageContaining("createSchema");

      store.createSchema();
      assertThat(store.agent("kept")).get().satisfies(h -> {
        assertThat(h.sequence()).isEqualTo(1L);
        assertThat(h.interval()).as("a row of the earlier version").isEmpty();
      });
      assertThat(store.history("kept", 10)).singleElement()
          .satisfies(h -> assertThat(h.interval()).isEmpty());
      assertThat(store.record(Beats.plain("kept", 2))).get()
          .satisfies(h -> assertThat(h.interval()).contains(Beats.INTERVAL));
      assertThat(store.agent("kept").orElseThrow().interval()).contains(Beats.INTERVAL);
      store.createSchema();
    }
  }

  /**
   * MariaDB tables of the version before a beat was one {@code CALL}: a beat says how to upgrade
   * them, createSchema creates the procedure keeping every row, and the beat then applies; run
   * again, it replaces the procedure in place.
   */
  @org.junit.jupiter.api.Test
  void createSchemaAddsTheMariaDbBeatProcedureToTablesOfAnEarlierVersion() {
    try (JdbcStore store = Databases.MARIADB.fresh(10)) {
      store.register(Beats.plain("kept", 1));
      store.withConnection(c -> {
        try (Statement st = c.createStatement()) {
          st.execute("DROP PROCEDURE " + store.sql().recordBeat);
        }
        return null;
      });
      assertThatThrownBy(() -> store.record(Beats.plain("kept", 2)))
          .isInstanceOf(HeartbeatStoreException.class)
          .hasMessageContaining("a procedure is missing").hasMessageContaining("record_beat")
          .hasMessageContaining("createSchema");

      store.createSchema();
      assertThat(store.agent("kept")).get().extracting(h -> h.sequence()).isEqualTo(1L);
      assertThat(store.record(Beats.plain("kept", 2))).get().extracting(h -> h.sequence())
          .isEqualTo(2L);
      store.createSchema();
      assertThat(store.record(Beats.plain("kept", 3))).get().extracting(h -> h.sequence())
          .isEqualTo(3L);
      assertThat(store.history("kept", 10)).extracting(h -> h.sequence())
          .containsExactly(3L, 2L, 1L);
    }
  }

  /** The procedure's rule names every status a beat applies to: all but LEFT. */
  @org.junit.jupiter.api.Test
  void theMariaDbBeatProcedureAppliesToEveryStatusButLeft() {
    String procedure = Schema.statements(Dialect.MARIADB, "p_").stream()
        .filter(s -> s.startsWith("CREATE OR REPLACE PROCEDURE p_record_beat")).findFirst()
        .orElseThrow();
    String statuses = java.util.Arrays.stream(dev.heartbeat.AgentStatus.values())
        .filter(s -> s != dev.heartbeat.AgentStatus.LEFT).map(s -> "'" + s.name() + "'")
        .collect(java.util.stream.Collectors.joining(", "));
    assertThat(procedure).contains("status IN (" + statuses + ")").endsWith("END")
        .doesNotContain("{p}").doesNotContain("DELIMITER");
  }

  @ParameterizedTest
  @MethodSource("dev.heartbeat.jdbc.EveryDatabaseTest#databases")
  void theBuilderCreatesTheTablesWhenAskedAndOnlyThen(JdbcHarness db) {
    String prefix = JdbcHarness.randomPrefix();
    try {
      JdbcStore plain = JdbcStore.builder(db.dataSource()).tablePrefix(prefix)
          .createSchema(false).build();
      assertThat(missing(plain)).hasSize(6);
      JdbcStore created = JdbcStore.builder(db.dataSource()).tablePrefix(prefix)
          .createSchema(true).build();
      assertThat(missing(created)).isEmpty();
      assertThat(created.register(Beats.plain("a", 1)).agentId()).isEqualTo("a");
    } finally {
      unbuilt(db, prefix).dropSchema();
    }
  }
}
