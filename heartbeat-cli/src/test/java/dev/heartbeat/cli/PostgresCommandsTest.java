package dev.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.Lease;
import dev.heartbeat.spi.HeartbeatStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every command on PostgreSQL at 127.0.0.1:5432 (database test, user postgres), each test in a
 * schema of its own so that nothing else in the database counts. Fails when the server cannot
 * be reached.
 */
class PostgresCommandsTest {
  private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String[] LENIENT = {"--suspect-after", "1h", "--dead-after", "2h",
      "--stall-after", "1h"};
  private String schema;
  private String uri;

  @BeforeEach
  void createSchema() throws SQLException {
    schema = "cli_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    sql("CREATE SCHEMA " + schema);
    uri = SERVER + "?user=postgres&currentSchema=" + schema;
  }

  @AfterEach
  void dropSchema() throws SQLException {
    sql("DROP SCHEMA " + schema + " CASCADE");
  }

  private static void sql(String statement) throws SQLException {
    try (Connection c = DriverManager.getConnection(SERVER + "?user=postgres");
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  @Test
  void statusJsonMatchesWhatWasStoredAndExitsZero() throws Exception {
    Heartbeat stored;
    Lease lease;
    try (HeartbeatStore store = Heartbeats.openStore(uri)) {
      Records.agent(store, "worker-1", "task-1", 2);
      lease = store.tryAcquire("orchestrator", "candidate-1", Duration.ofHours(1)).orElseThrow();
      stored = store.agent("worker-1").orElseThrow();
    }
    CliRun r = CliRun.run(with("status", "--store", uri, "--json"));
    assertThat(r.code()).as(r.both()).isZero();
    JsonNode doc = new ObjectMapper().readTree(r.out());
    assertThat(doc.get("store").asText()).startsWith("jdbc:postgresql://127.0.0.1:5432/test");
    JsonNode agent = doc.get("agents").get(0);
    assertThat(agent.get("id").asText()).isEqualTo("worker-1");
    assertThat(agent.get("state").asText()).isEqualTo("ALIVE");
    assertThat(agent.get("sequence").asLong()).isEqualTo(stored.sequence());
    assertThat(agent.get("progress").asText()).isEqualTo(stored.progress().orElseThrow());
    assertThat(Instant.parse(agent.get("lastBeatAt").asText())).isEqualTo(stored.at());
    JsonNode l = doc.get("leases").get(0);
    assertThat(l.get("holder").asText()).isEqualTo("candidate-1");
    assertThat(l.get("token").asLong()).isEqualTo(lease.token());
    assertThat(l.get("held").asBoolean()).isTrue();
    CliRun text = CliRun.run(with("status", "--store", uri));
    assertThat(text.code()).as(text.both()).isZero();
    assertThat(text.out()).containsPattern("worker-1\\s+ALIVE\\s+WORKING\\s+task-1")
        .doesNotContain("user=postgres");
  }

  @Test
  void beatContinuesARegisteredAgentAndRefusesAnUnknownOne() {
    try (HeartbeatStore store = Heartbeats.openStore(uri)) {
      Records.agent(store, "worker-1", "task-1", 1);
    }
    CliRun r = CliRun.run("beat", "--store", uri, "--agent", "worker-1", "--progress", "pg");
    assertThat(r.code()).as(r.both()).isZero();
    try (HeartbeatStore store = Heartbeats.openStore(uri)) {
      Heartbeat h = store.agent("worker-1").orElseThrow();
      assertThat(h.incarnation()).isEqualTo(BeatCommand.INCARNATION);
      assertThat(h.sequence()).isEqualTo(1);
      assertThat(h.progress()).contains("pg");
      assertThat(r.out()).contains(h.at().toString());
    }
    CliRun unknown = CliRun.run("beat", "--store", uri, "--agent", "ghost");
    assertThat(unknown.code()).as(unknown.both()).isEqualTo(3);
  }

  @Test
  void watchHighlightsAnAgentThatJoinedBetweenRefreshes() {
    try (HeartbeatStore store = Heartbeats.openStore(uri)) {
      Records.agent(store, "worker-1", "task-1", 1);
    }
    Cli.Pacer join = d -> {
      try (HeartbeatStore store = Heartbeats.openStore(uri)) {
        Records.agent(store, "worker-2", "task-2", 1);
      }
    };
    CliRun r = CliRun.run(Map.of(), join, false, with("watch", "--store", uri, "--count", "2"));
    assertThat(r.code()).as(r.both()).isZero();
    String[] frames = r.out().split("\n\n");
    assertThat(frames).hasSize(2);
    assertThat(frames[0]).doesNotContain("worker-2");
    assertThat(frames[1]).containsPattern("\n\\* worker-2\\s+ALIVE")
        .containsPattern("\n  worker-1\\s+ALIVE");
  }

  @Test
  @Timeout(120)
  void demoShowsTheFailoverOnPostgres() {
    CliRun r = CliRun.run(Map.of(), d -> Thread.sleep(d), false, "demo", "--store", uri,
        "--nodes", "thread");
    DemoAssertions.assertFailoverShown(r.code(), r.out());
    assertThat(r.out()).doesNotContain("user=postgres");
  }

  private static String[] with(String... first) {
    String[] all = new String[first.length + LENIENT.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(LENIENT, 0, all, first.length, LENIENT.length);
    return all;
  }
}
