package dev.heartbeat.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.spi.Beat;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * A beat is one round trip on PostgreSQL (issue 21): a plain beat, a beat with new progress, a
 * stale beat and a beat that trims the history each cost one statement in auto-commit mode, and
 * still do what the kit asks of them.
 */
class BeatRoundTripTest {
  private static final int HISTORY = 8;

  @Test
  void everyKindOfBeatIsOneRoundTripOnPostgres() {
    RoundTripDataSource counted = new RoundTripDataSource(Databases.POSTGRES.dataSource());
    try (JdbcStore store = Databases.POSTGRES.fresh(HISTORY, counted)) {
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

  private static Beat beat(long seq, boolean progress) {
    return new Beat("a", "run-1", seq, Optional.of("t"), AgentStatus.WORKING,
        OptionalDouble.of(0.5), progress ? Optional.of("step " + seq) : Optional.empty(),
        progress, Optional.of(Duration.ofSeconds(5)));
  }
}
