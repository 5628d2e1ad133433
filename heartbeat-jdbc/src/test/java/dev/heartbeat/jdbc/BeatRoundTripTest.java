package dev.heartbeat.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.spi.Beat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * A beat is one round trip (issue 21): a plain beat, a beat with new progress, a stale beat and a
 * beat that trims the history each cost one statement in auto-commit mode (on PostgreSQL one
 * data-modifying statement, on MariaDB one {@code CALL} of the procedure createSchema made), and
 * still do what the kit asks of them; a batch costs one per {@link BeatBatch#CHUNK} beats.
 */
class BeatRoundTripTest {
  private static final int HISTORY = 8;

  @Test
  void everyKindOfBeatIsOneRoundTripOnPostgres() {
    everyKindOfBeatIsOneRoundTrip(Databases.POSTGRES);
  }

  @Test
  void everyKindOfBeatIsOneRoundTripOnMariaDb() {
    everyKindOfBeatIsOneRoundTrip(Databases.MARIADB);
  }

  /**
   * The procedure needs nothing of the user's URL: with server-side prepared statements (and
   * without {@code allowMultiQueries}) a beat is still one round trip, a stale one too, and an
   * unknown agent's is empty.
   */
  @Test
  void aBeatOnMariaDbIsOneCallWithServerSidePreparedStatementsToo() throws Exception {
    org.mariadb.jdbc.MariaDbDataSource serverPrepared = new org.mariadb.jdbc.MariaDbDataSource(
        Databases.MARIADB.url() + "&useServerPrepStmts=true");
    CountingDataSource counted = new CountingDataSource(serverPrepared);
    try (JdbcStore store = Databases.MARIADB.fresh(HISTORY, counted)) {
      store.register(beat(1, false));
      assertThat(counted.tripsOf(() -> assertThat(store.record(beat(2, true))).get()
          .extracting(Heartbeat::sequence).isEqualTo(2L))).isEqualTo(1);
      assertThat(counted.tripsOf(() -> assertThat(store.record(beat(2, false))).get()
          .extracting(Heartbeat::sequence).isEqualTo(2L))).isEqualTo(1);
      assertThat(store.record(new Beat("nobody", "run", 1, Optional.empty(), AgentStatus.IDLE,
          OptionalDouble.empty(), Optional.empty(), false, Optional.empty()))).isEmpty();
      assertThat(store.events("a", 10)).singleElement()
          .satisfies(e -> assertThat(e.progress()).contains("step 2"));
      assertThat(store.history("a", 10)).extracting(Heartbeat::sequence)
          .containsExactly(2L, 1L);
    }
  }

  private static void everyKindOfBeatIsOneRoundTrip(JdbcHarness db) {
    CountingDataSource counted = new CountingDataSource(db.dataSource());
    try (JdbcStore store = db.fresh(HISTORY, counted)) {
      store.register(beat(1, false));

      long before = counted.trips();
      Heartbeat plain = store.record(beat(2, false)).orElseThrow();
      assertThat(counted.trips() - before).as("round trips of a plain beat").isEqualTo(1);
      assertThat(plain.sequence()).isEqualTo(2);

      before = counted.trips();
      Heartbeat progressed = store.record(beat(3, true)).orElseThrow();
      assertThat(counted.trips() - before).as("round trips of a beat with progress").isEqualTo(1);
      assertThat(progressed.progressAt()).contains(progressed.at());
      assertThat(store.events("a", 10)).hasSize(1);

      before = counted.trips();
      assertThat(store.record(beat(2, false))).get().extracting(Heartbeat::sequence)
          .isEqualTo(3L);
      assertThat(counted.trips() - before).as("round trips of a stale beat").isEqualTo(1);

      for (long seq = 4; seq <= 3 * HISTORY; seq++) {
        before = counted.trips();
        store.record(beat(seq, seq % 3 == 0)).orElseThrow();
        assertThat(counted.trips() - before).as("round trips of beat %d", seq).isEqualTo(1);
      }
      assertThat(store.history("a", 100)).hasSize(HISTORY);
      assertThat(store.events("a", 100)).hasSize(HISTORY);

      before = counted.trips();
      assertThat(store.record(new Beat("unknown", "run", 1, Optional.empty(), AgentStatus.IDLE,
          OptionalDouble.empty(), Optional.empty(), false, Optional.empty()))).isEmpty();
      assertThat(counted.trips() - before).as("round trips of an unknown agent's beat")
          .isEqualTo(1);
    }
  }

  @Test
  void aBatchIsOneRoundTripPerChunkAndPerRoundOfAnAgentsRepeatedBeats() {
    CountingDataSource counted = new CountingDataSource(Databases.POSTGRES.dataSource());
    int agents = 2 * BeatBatch.CHUNK + 500;
    try (JdbcStore store = Databases.POSTGRES.fresh(HISTORY, counted)) {
      List<Beat> first = new ArrayList<>();
      for (int i = 0; i < agents; i++) {
        first.add(beat("agent-" + i, 1, false));
      }
      store.recordAll(first).forEach(h -> assertThat(h).as("not registered yet").isEmpty());
      first.forEach(store::register);

      List<Beat> beats = new ArrayList<>();
      for (int i = 0; i < agents; i++) {
        beats.add(beat("agent-" + i, 2, i % 7 == 0));
      }
      beats.add(beat("agent-3", 3, false)); // a second beat of one agent: a second round
      beats.add(beat("agent-4", 1, false)); // stale
      long before = counted.trips();
      List<Optional<Heartbeat>> answers = store.recordAll(beats);
      assertThat(counted.trips() - before).as("round trips of %d beats", beats.size())
          .isEqualTo(4);
      assertThat(answers).hasSize(beats.size());
      assertThat(answers.get(0)).get().extracting(Heartbeat::sequence).isEqualTo(2L);
      assertThat(answers.get(3)).get().extracting(Heartbeat::sequence).isEqualTo(2L);
      assertThat(answers.get(agents)).get().extracting(Heartbeat::sequence).isEqualTo(3L);
      assertThat(answers.get(agents + 1)).as("a stale beat gets the stored state").get()
          .extracting(Heartbeat::sequence).isEqualTo(2L);
      assertThat(store.agent("agent-3")).get().extracting(Heartbeat::sequence).isEqualTo(3L);
      assertThat(store.history("agent-3", 10)).extracting(Heartbeat::sequence)
          .containsExactly(3L, 2L, 1L);
      assertThat(store.events("agent-7", 10)).hasSize(1);
      assertThat(store.events("agent-8", 10)).isEmpty();
    }
  }

  @Test
  void aBatchOnMariaDbIsAFewRoundTripsPerChunkWhateverItsSize() {
    CountingDataSource counted = new CountingDataSource(Databases.MARIADB.dataSource());
    int agents = 2 * BeatBatch.CHUNK + 500;
    try (JdbcStore store = Databases.MARIADB.fresh(HISTORY, counted)) {
      for (int i = 0; i < agents; i++) {
        store.register(beat("agent-" + i, 1, false));
      }
      List<Beat> beats = new ArrayList<>();
      for (int i = 0; i < agents; i++) {
        beats.add(beat("agent-" + i, 2, i % 7 == 0));
      }
      beats.add(beat("agent-3", 3, false));
      beats.add(beat("agent-4", 1, false));
      beats.add(beat("nobody", 1, false));
      long before = counted.trips();
      List<Optional<Heartbeat>> answers = store.recordAll(beats);
      assertThat(counted.trips() - before).as("round trips of %d beats in 4 chunks", beats.size())
          .isLessThanOrEqualTo(4 * 8);
      assertThat(answers.get(0)).get().extracting(Heartbeat::sequence).isEqualTo(2L);
      assertThat(answers.get(agents)).get().extracting(Heartbeat::sequence).isEqualTo(3L);
      assertThat(answers.get(agents + 1)).get().extracting(Heartbeat::sequence).isEqualTo(2L);
      assertThat(answers.get(agents + 2)).isEmpty();
      assertThat(store.history("agent-3", 10)).extracting(Heartbeat::sequence)
          .containsExactly(3L, 2L, 1L);
      assertThat(store.events("agent-7", 10)).hasSize(1);
      assertThat(store.agent("agent-7").orElseThrow().progressAt())
          .contains(store.agent("agent-7").orElseThrow().at());
    }
  }

  @Test
  void batchesKeepTheHistoryBoundedAndOverlappingBatchesNeverDeadlock() throws Exception {
    for (JdbcHarness db : List.of(Databases.POSTGRES, Databases.MARIADB)) {
      overlappingBatches(db);
    }
  }

  private static void overlappingBatches(JdbcHarness db) throws Exception {
    try (JdbcStore store = db.fresh(HISTORY)) {
      int agents = 300;
      for (int i = 0; i < agents; i++) {
        store.register(beat("agent-" + i, 0, false));
      }
      java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();
      Runnable forward = () -> {
        for (int round = 0; round < 15; round++) {
          long s = seq.incrementAndGet();
          List<Beat> beats = new ArrayList<>();
          for (int i = 0; i < agents; i++) {
            beats.add(beat("agent-" + i, s, s % 2 == 0));
          }
          store.recordAll(beats);
        }
      };
      Runnable backward = () -> {
        for (int round = 0; round < 15; round++) {
          long s = seq.incrementAndGet();
          List<Beat> beats = new ArrayList<>();
          for (int i = agents - 1; i >= 0; i--) {
            beats.add(beat("agent-" + i, s, s % 2 == 0));
          }
          store.recordAll(beats);
        }
      };
      var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        var one = pool.submit(forward);
        var two = pool.submit(backward);
        one.get(120, java.util.concurrent.TimeUnit.SECONDS);
        two.get(120, java.util.concurrent.TimeUnit.SECONDS);
      } finally {
        pool.shutdownNow();
      }
      for (String agent : List.of("agent-0", "agent-150", "agent-299")) {
        assertThat(store.agent(agent)).as("the newest beat of all wins").get()
            .extracting(Heartbeat::sequence).isEqualTo(30L);
        List<Heartbeat> history = store.history(agent, 100);
        assertThat(history.size()).as("history of " + agent).isBetween(HISTORY, HISTORY * 5 / 4);
        assertThat(history).extracting(Heartbeat::sequence)
            .isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(store.events(agent, 100).size()).isBetween(1, HISTORY * 5 / 4);
      }
    }
  }

  private static Beat beat(String agent, long seq, boolean progress) {
    return new Beat(agent, "run-1", seq, Optional.of("t"), AgentStatus.WORKING,
        OptionalDouble.of(0.5), progress ? Optional.of("step " + seq) : Optional.empty(),
        progress, Optional.of(Duration.ofSeconds(5)));
  }

  private static Beat beat(long seq, boolean progress) {
    return new Beat("a", "run-1", seq, Optional.of("t"), AgentStatus.WORKING,
        OptionalDouble.of(0.5), progress ? Optional.of("step " + seq) : Optional.empty(),
        progress, Optional.of(Duration.ofSeconds(5)));
  }
}
