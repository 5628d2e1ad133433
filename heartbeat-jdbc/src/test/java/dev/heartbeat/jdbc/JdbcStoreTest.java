package dev.heartbeat.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.HeartbeatStoreProvider;
import dev.heartbeat.tck.Beats;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.List;
import java.util.stream.Collectors;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** What needs no server: module, configuration checks, dialects, DDL, the provider. */
class JdbcStoreTest {

  @Test
  void moduleDescriptorIsPinned() throws Exception {
    ModuleDescriptor module;
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      module = ModuleDescriptor.read(in);
    }
    assertThat(module.name()).isEqualTo("dev.heartbeat.jdbc");
    assertThat(module.exports()).extracting(ModuleDescriptor.Exports::source)
        .containsExactly("dev.heartbeat.jdbc");
    assertThat(module.exports()).allMatch(e -> !e.isQualified());
    assertThat(module.requires().stream().map(ModuleDescriptor.Requires::name)
        .filter(name -> !name.equals("java.base")).collect(Collectors.toSet()))
        .as("the SPI alone, not the engine").containsExactlyInAnyOrder("dev.heartbeat", "java.sql",
            "org.slf4j", "com.zaxxer.hikari");
    assertThat(module.requires()).filteredOn(r -> r.name().equals("com.zaxxer.hikari"))
        .singleElement().as("HikariCP only for jdbc: URIs")
        .satisfies(r -> assertThat(r.modifiers()).contains(ModuleDescriptor.Requires.Modifier.STATIC));
    assertThat(module.provides()).singleElement().satisfies(p -> {
      assertThat(p.service()).isEqualTo("dev.heartbeat.spi.HeartbeatStoreProvider");
      assertThat(p.providers()).containsExactly("dev.heartbeat.jdbc.JdbcStoreProvider");
    });
  }

  @Test
  void onlyTheEntryPointsArePublic() {
    assertThat(java.lang.reflect.Modifier.isPublic(JdbcStore.class.getModifiers())).isTrue();
    assertThat(java.lang.reflect.Modifier.isFinal(JdbcStore.class.getModifiers())).isTrue();
    for (Class<?> internal : new Class<?>[] {Sql.class, Jdbc.class, AgentTable.class,
        LeaseTable.class, SingleRenewal.class, Terms.class, Renewals.class, Pruner.class,
        Rows.class, Schema.class, HikariSource.class, ConnectionSource.class,
        Timeouts.class}) {
      assertThat(java.lang.reflect.Modifier.isPublic(internal.getModifiers()))
          .as(internal.getSimpleName()).isFalse();
    }
  }

  @Test
  void timeoutsMustBeZeroOrPositiveAndTheQueryTimeoutWholeSeconds() {
    JdbcStoreBuilder builder = JdbcStore.builder(new JdbcDataSource());
    assertThatThrownBy(() -> builder.networkTimeout(java.time.Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("networkTimeout").hasMessageContaining("PT-1S");
    assertThatThrownBy(() -> builder.networkTimeout(java.time.Duration.ofNanos(5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 ms");
    assertThatThrownBy(() -> builder.networkTimeout(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("networkTimeout");
    assertThatThrownBy(() -> builder.queryTimeout(java.time.Duration.ofMillis(1500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("queryTimeout").hasMessageContaining("whole seconds")
        .hasMessageContaining("PT1.5S");
    builder.networkTimeout(java.time.Duration.ZERO).queryTimeout(java.time.Duration.ZERO);
    for (String bad : List.of("networkTimeout=-5s", "queryTimeout=soon", "queryTimeout=500ms")) {
      String key = bad.substring(0, bad.indexOf('='));
      assertThatThrownBy(() -> new JdbcStoreProvider().open(java.net.URI.create(
          "jdbc:h2:mem:timeouts#" + bad)))
          .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key);
    }
  }

  @Test
  void tablePrefixMustBeAShortIdentifier() {
    JdbcStoreBuilder builder = JdbcStore.builder(new JdbcDataSource());
    assertThatThrownBy(() -> builder.tablePrefix("hb; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tablePrefix").hasMessageContaining("hb; DROP TABLE x");
    assertThatThrownBy(() -> builder.tablePrefix("1hb_"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'1hb_'");
    assertThatThrownBy(() -> builder.tablePrefix("x".repeat(31)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 30");
    assertThatThrownBy(() -> builder.tablePrefix(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tablePrefix");
    assertThatThrownBy(() -> builder.historyLimit(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("historyLimit");
    builder.tablePrefix("").tablePrefix("_Hb_2").tablePrefix("x".repeat(30));
  }

  @Test
  void dialectsAreDetectedFromTheProductName() {
    assertThat(Dialect.detect("PostgreSQL")).isEqualTo(Dialect.POSTGRESQL);
    assertThat(Dialect.detect("MariaDB")).isEqualTo(Dialect.MARIADB);
    assertThat(Dialect.detect("MySQL")).isEqualTo(Dialect.MARIADB);
    assertThat(Dialect.detect("H2")).isEqualTo(Dialect.H2);
    assertThatThrownBy(() -> Dialect.detect("Oracle"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Oracle'")
        .hasMessageContaining("dialect(");
  }

  @Test
  void everyDialectShipsIdempotentDdlForNineTables() {
    for (Dialect dialect : Dialect.values()) {
      var statements = Schema.statements(dialect, "p_");
      assertThat(statements).as(dialect.name())
          .allMatch(s -> s.contains("IF NOT EXISTS") || s.contains("IF EXISTS")
              || s.startsWith("CREATE OR REPLACE"));
      assertThat(statements.stream().filter(s -> s.startsWith("CREATE OR REPLACE PROCEDURE")))
          .as(dialect.name()).hasSize(dialect == Dialect.MARIADB ? 1 : 0);
      assertThat(statements.stream().filter(s -> s.startsWith("CREATE TABLE")))
          .as(dialect.name()).hasSize(9);
      assertThat(String.join(";", statements)).doesNotContain("{p}");
      assertThat(String.join(";", statements)).as(dialect.name())
          .contains("p_agents_gone").contains("p_agents_seen ON p_agents (last_seen_at)");
      assertThat(String.join(";", statements)).as(dialect.name())
          .contains("p_tasks_claimable").contains("p_task_attempts").contains("p_task_tokens");
    }
  }

  @Test
  void theProviderIsFoundByServiceLoaderForJdbc() {
    assertThat(ServiceLoader.load(HeartbeatStoreProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.schemes().contains("jdbc")))
        .singleElement().isInstanceOf(JdbcStoreProvider.class);
  }

  @Test
  void aJdbcUriOpensAStoreWithItsSchemaAndFragmentOptions() {
    try (HeartbeatStore store = Heartbeats.openStore(
        "jdbc:h2:mem:provider;DB_CLOSE_DELAY=-1#tablePrefix=prov_&historyLimit=4&poolSize=2")) {
      assertThat(store.describe()).startsWith("jdbc:h2:mem:provider").contains("prov_");
      store.register(Beats.plain("a", 1));
      for (int seq = 2; seq <= 12; seq++) {
        store.record(Beats.plain("a", seq)).orElseThrow();
      }
      assertThat(store.history("a", 100)).extracting(Heartbeat::sequence)
          .hasSizeBetween(4, 5).startsWith(12L, 11L, 10L, 9L);
    }
  }

  @Test
  void badUrisNameTheProblem() {
    assertThatThrownBy(() -> Heartbeats.openStore("jdbc:nothing"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:nothing");
    assertThatThrownBy(() -> Heartbeats.openStore("jdbc:h2:mem:x#colour=red"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'colour'");
    assertThatThrownBy(() -> Heartbeats.openStore("jdbc:h2:mem:x#poolSize=0"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("poolSize");
    assertThatThrownBy(() -> Heartbeats.openStore("jdbc:h2:mem:x#tablePrefix=a-b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a-b'");
    assertThatThrownBy(() -> Heartbeats.openStore("jdbc:"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 'jdbc:'")
        .hasMessageNotContaining("jdbc:/");
  }

  @Test
  void aUrlNoDriverOnTheClassPathTakesSaysSoWithoutItsPassword() {
    assertThatThrownBy(() -> Heartbeats.openStore(
        "jdbc:nosuchdb://u:secret@127.0.0.1/db?password=hush"))
        .hasMessageContaining("jdbc:nosuchdb://127.0.0.1/db")
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no JDBC driver")
        .satisfies(e -> assertThat(java.util.stream.Stream.iterate(e, x -> x != null,
            Throwable::getCause).map(String::valueOf)).noneMatch(m -> m.contains("secret")
                || m.contains("hush")));
  }

  @Test
  void credentialsNeverReachTheDescription() {
    assertThat(JdbcStoreProvider.safe("jdbc:postgresql://u:secret@127.0.0.1/db?password=hush"))
        .isEqualTo("jdbc:postgresql://127.0.0.1/db");
    assertThat(JdbcStoreProvider.safe("jdbc:h2:mem:x;PASSWORD=hush")).isEqualTo("jdbc:h2:mem:x");
  }

  @Test
  void anUnreachableDatabaseIsAStoreExceptionNamingStoreAndOperation() {
    assertThatThrownBy(() -> Heartbeats.openStore(
        "jdbc:postgresql://127.0.0.1:1/none?user=x&connectTimeout=5"))
        .isInstanceOf(HeartbeatStoreException.class)
        .satisfies(e -> {
          HeartbeatStoreException hse = (HeartbeatStoreException) e;
          assertThat(hse.store()).startsWith("jdbc:postgresql://127.0.0.1:1/none");
          assertThat(hse.operation()).isEqualTo("detect dialect");
          assertThat(hse.getCause()).isNotNull();
        });
  }

  @Test
  void anExplicitDialectNeedsNoConnectionToBuild() {
    JdbcStore store = JdbcStore.builder(new JdbcDataSource()).dialect(Dialect.MARIADB).build();
    assertThat(store.dialect()).isEqualTo(Dialect.MARIADB);
    assertThat(Set.of(store.describe())).singleElement().asString().contains("mariadb");
  }
}
