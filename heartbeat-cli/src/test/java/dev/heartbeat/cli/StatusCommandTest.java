package dev.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.Lease;
import dev.heartbeat.file.FileStore;
import dev.heartbeat.spi.Beat;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status} on the file store: text, JSON, the three exit codes. */
class StatusCommandTest {
  private static final String[] LENIENT = {"--suspect-after", "1h", "--dead-after", "2h",
      "--stall-after", "1h"};
  @TempDir
  Path dir;

  private String uri() {
    return "file:" + dir;
  }

  @Test
  void healthyStoreExitsZeroAndShowsEveryAgentAndLease() {
    try (FileStore store = FileStore.open(dir)) {
      Records.agent(store, "worker-1", "task-1", 3);
      Records.agent(store, "worker-2", "task-2", 3);
      Records.lease(store, "orchestrator", "candidate-1", Duration.ofHours(1));
    }
    CliRun r = CliRun.run(args("status", "--store", uri()));
    assertThat(r.code()).as(r.both()).isZero();
    assertThat(r.out()).containsPattern("worker-1\\s+ALIVE\\s+WORKING\\s+task-1\\s+step 4")
        .containsPattern("worker-2\\s+ALIVE").containsPattern("orchestrator\\s+candidate-1\\s+1")
        .contains("healthy: 2 agent(s), 1 lease(s) held");
  }

  /**
   * Issue 14: the next beat is due one of the agent's own intervals (carried by its beats) after
   * the last, not one interval observed from a short history (two beats sent at once here).
   */
  @Test
  void theNextBeatIsDueOneOfTheAgentsOwnIntervalsAfterTheLast() throws Exception {
    Duration hour = Duration.ofHours(1);
    try (FileStore store = FileStore.open(dir)) {
      store.register(new Beat("slow", "run", 1, Optional.empty(), AgentStatus.IDLE,
          OptionalDouble.of(0.25), Optional.empty(), false,
          Optional.of(hour)));
      store.record(new Beat("slow", "run", 2, Optional.empty(), AgentStatus.IDLE,
          OptionalDouble.of(0.25), Optional.empty(), false,
          Optional.of(hour))).orElseThrow();
    }
    CliRun r = CliRun.run(args("status", "--store", uri(), "--json"));
    assertThat(r.code()).as(r.both()).isZero();
    JsonNode agent = new ObjectMapper().readTree(r.out()).get("agents").get(0);
    assertThat(agent.get("intervalMillis").asLong()).isEqualTo(hour.toMillis());
    assertThat(agent.get("nextBeatInMillis").asLong()).isBetween(hour.toMillis() - 600_000,
        hour.toMillis());
    CliRun text = CliRun.run(args("status", "--store", uri()));
    assertThat(text.out()).as(text.both()).containsPattern("slow\\s+ALIVE\\s+IDLE\\s+-\\s+-\\s+"
        + "\\S+ ago\\s+in \\S+");
  }

  @Test
  void jsonDocumentHoldsWhatWasStored() throws Exception {
    Heartbeat stored;
    Lease lease;
    try (FileStore store = FileStore.open(dir)) {
      Records.agent(store, "worker-1", "task-1", 2);
      lease = store.tryAcquire("orchestrator", "candidate-1", Duration.ofHours(1)).orElseThrow();
      stored = store.agent("worker-1").orElseThrow();
    }
    CliRun r = CliRun.run(args("status", "--store", uri(), "--json"));
    assertThat(r.code()).as(r.both()).isZero();
    JsonNode doc = new ObjectMapper().readTree(r.out());
    assertThat(doc.get("format").asText()).isEqualTo("heartbeat-status/1");
    assertThat(doc.get("store").asText()).contains(dir.toString());
    assertThat(doc.get("healthy").asBoolean()).isTrue();
    assertThat(doc.get("exitCode").asInt()).isZero();
    JsonNode agent = doc.get("agents").get(0);
    assertThat(agent.get("id").asText()).isEqualTo("worker-1");
    assertThat(agent.get("state").asText()).isEqualTo("ALIVE");
    assertThat(agent.get("status").asText()).isEqualTo("WORKING");
    assertThat(agent.get("incarnation").asText()).isEqualTo(stored.incarnation());
    assertThat(agent.get("sequence").asLong()).isEqualTo(stored.sequence()).isEqualTo(3);
    assertThat(agent.get("task").asText()).isEqualTo("task-1");
    assertThat(agent.get("progress").asText()).isEqualTo("step 3");
    assertThat(Instant.parse(agent.get("lastBeatAt").asText())).isEqualTo(stored.at());
    assertThat(Instant.parse(agent.get("progressAt").asText())).isEqualTo(stored.progressAt().orElseThrow());
    assertThat(agent.get("successRate").asDouble()).isEqualTo(1.0);
    assertThat(agent.get("cpu").asDouble()).isEqualTo(0.25);
    JsonNode l = doc.get("leases").get(0);
    assertThat(l.get("name").asText()).isEqualTo("orchestrator");
    assertThat(l.get("holder").asText()).isEqualTo("candidate-1");
    assertThat(l.get("token").asLong()).isEqualTo(lease.token());
    assertThat(Instant.parse(l.get("expiresAt").asText())).isEqualTo(lease.expiresAt());
    assertThat(l.get("held").asBoolean()).isTrue();
    assertThat(l.get("transitions").asLong()).isEqualTo(lease.transitions());
    assertThat(l.get("expiresInMillis").asLong()).isPositive();
    assertThat(doc.get("problems")).isEmpty();
  }

  @Test
  void deadSuspectStalledAndExpiredAreDegradedWithExitOne() throws Exception {
    Instant now = Instant.now();
    try (FileStore longAgo = FileStore.open(dir, InstantSource.fixed(now.minus(Duration.ofHours(3))), 100);
        FileStore lately = FileStore.open(dir, InstantSource.fixed(now.minus(Duration.ofMinutes(90))), 100);
        FileStore current = FileStore.open(dir)) {
      Records.agent(longAgo, "dead", "t", 0);
      Records.agent(lately, "suspect", "t", 0);
      Records.agent(longAgo, "stuck", "t", 0);
      current.record(new Beat("stuck", "stuck-inc", 2, Optional.of("t"), AgentStatus.WORKING,
          OptionalDouble.empty(), Optional.of("step 1"),
          false, Optional.empty())).orElseThrow();
      Records.agent(current, "fine", "t", 1);
      current.register(new Beat("gone", "g", 1, Optional.empty(), AgentStatus.LEFT,
          OptionalDouble.empty(), Optional.empty(), false, Optional.empty()));
      Records.lease(longAgo, "stale", "someone", Duration.ofSeconds(1));
    }
    CliRun r = CliRun.run(args("status", "--store", uri()));
    assertThat(r.code()).as(r.both()).isEqualTo(1);
    assertThat(r.out()).containsPattern("dead\\s+DEAD").containsPattern("suspect\\s+SUSPECT")
        .containsPattern("stuck\\s+STALLED").containsPattern("fine\\s+ALIVE")
        .containsPattern("gone\\s+LEFT").containsPattern("stale\\s+someone.*EXPIRED")
        .contains("degraded: dead DEAD, stuck STALLED, suspect SUSPECT, lease stale expired");
    JsonNode doc = new ObjectMapper().readTree(
        CliRun.run(args("status", "--store", uri(), "--json")).out());
    assertThat(doc.get("exitCode").asInt()).isEqualTo(1);
    assertThat(doc.get("healthy").asBoolean()).isFalse();
    assertThat(doc.get("agents").findValuesAsText("state"))
        .containsExactly("DEAD", "ALIVE", "LEFT", "STALLED", "SUSPECT");
    assertThat(doc.get("leases").get(0).get("held").asBoolean()).isFalse();
    assertThat(doc.get("leases").get(0).get("expiresInMillis").asLong()).isNegative();
  }

  @Test
  void defaultThresholdsFollowTheObservedIntervalAndAnAgeOfHoursIsDead() {
    try (FileStore longAgo = FileStore.open(dir, InstantSource.fixed(Instant.now()
        .minus(Duration.ofHours(3))), 100)) {
      Records.agent(longAgo, "old", "t", 2);
    }
    CliRun r = CliRun.run("status", "--store", uri());
    assertThat(r.code()).as(r.both()).isEqualTo(1);
    assertThat(r.out()).containsPattern("old\\s+DEAD").contains("3 intervals");
  }

  @Test
  void unreachableStoreExitsTwoAndTheJsonSaysWhyWithoutThePassword() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:1/test?user=bob&password=hunter2&connectTimeout=2";
    CliRun r = CliRun.run("status", "--store", url, "--json");
    assertThat(r.code()).as(r.both()).isEqualTo(2);
    assertThat(r.out() + r.err()).doesNotContain("hunter2").doesNotContain("bob")
        .doesNotContain("at org.").doesNotContain("Exception:\n");
    JsonNode doc = new ObjectMapper().readTree(r.out());
    assertThat(doc.get("exitCode").asInt()).isEqualTo(2);
    assertThat(doc.get("healthy").asBoolean()).isFalse();
    assertThat(doc.get("error").asText()).contains("127.0.0.1:1");
    assertThat(doc.get("agents")).isEmpty();
    assertThat(r.err()).startsWith("status: store ");
  }

  @Test
  void anUnreadableRecordIsReportedAndDegradesTheStatus() throws Exception {
    try (FileStore store = FileStore.open(dir)) {
      Records.agent(store, "broken", "t", 1);
      Records.agent(store, "fine", "t", 1);
    }
    Path record = dir.resolve("agents").resolve("broken.json");
    assertThat(record).exists();
    java.nio.file.Files.writeString(record, "{not json");
    CliRun r = CliRun.run(args("status", "--store", uri()));
    assertThat(r.code()).as(r.both()).isEqualTo(1);
    assertThat(r.out()).contains("unreadable: ").contains("broken.json")
        .containsPattern("fine\\s+ALIVE").contains("degraded: 1 unreadable record(s)");
    JsonNode doc = new ObjectMapper().readTree(
        CliRun.run(args("status", "--store", uri(), "--json")).out());
    assertThat(doc.get("problems").get(0).get("location").asText()).contains("broken.json");
    assertThat(doc.get("problems").get(0).get("problem").asText()).isNotBlank();
    assertThat(doc.get("agents").findValuesAsText("id")).containsExactly("fine");
  }

  @Test
  void memoryStoreIsOnlyForTheDemo() {
    CliRun r = CliRun.run("status", "--store", "memory:");
    assertThat(r.code()).isEqualTo(64);
    assertThat(r.err()).contains("memory: is only for demo");
  }

  @Test
  void anEmptyStoreIsNotHealthyButEmptyWithExitFour() throws Exception {
    FileStore.open(dir).close();
    CliRun r = CliRun.run("status", "--store", uri());
    assertThat(r.code()).as(r.both()).isEqualTo(4);
    assertThat(r.out()).contains("no agents").contains("no leases")
        .contains("empty: the store holds no agent and no lease");
    JsonNode doc = new ObjectMapper().readTree(
        CliRun.run("status", "--store", uri(), "--json").out());
    assertThat(doc.get("exitCode").asInt()).isEqualTo(4);
    assertThat(doc.get("healthy").asBoolean()).isFalse();
  }

  @Test
  void aStoreThatDoesNotExistIsReportedWithExitFourAndNotCreated() throws Exception {
    Path missing = dir.resolve("no").resolve("such").resolve("dir");
    CliRun r = CliRun.run("status", "--store", "file:" + missing, "--json");
    assertThat(r.code()).as(r.both()).isEqualTo(4);
    assertThat(missing).doesNotExist();
    assertThat(dir.resolve("no")).doesNotExist();
    JsonNode doc = new ObjectMapper().readTree(r.out());
    assertThat(doc.get("exitCode").asInt()).isEqualTo(4);
    assertThat(doc.get("error").asText()).contains("does not exist");
    assertThat(r.err()).startsWith("status: store ");
  }

  @Test
  void aDatabaseWithoutTheTablesIsReportedWithExitFourAndNoTableIsCreated() throws Exception {
    String url = "jdbc:h2:" + dir.resolve("db") + "#tablePrefix=hb_";
    CliRun r = CliRun.run("status", "--store", url);
    assertThat(r.code()).as(r.both()).isEqualTo(4);
    try (var c = java.sql.DriverManager.getConnection("jdbc:h2:" + dir.resolve("db"));
        var rs = c.getMetaData().getTables(null, "PUBLIC", "%", new String[] {"TABLE"})) {
      java.util.List<String> tables = new java.util.ArrayList<>();
      while (rs.next()) {
        tables.add(rs.getString("TABLE_NAME"));
      }
      assertThat(tables).as("a read-only command creates no table").isEmpty();
    }
  }

  private static String[] args(String... first) {
    String[] all = new String[first.length + LENIENT.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(LENIENT, 0, all, first.length, LENIENT.length);
    return all;
  }
}
