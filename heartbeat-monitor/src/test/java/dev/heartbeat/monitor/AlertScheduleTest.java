package dev.heartbeat.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** When each alert is due and what it says: at once, each resend interval, all on takeover. */
class AlertScheduleTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration RESEND = Duration.ofMinutes(1);
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final long S = 1_000_000_000L;
  private final AlertSchedule schedule = new AlertSchedule(RESEND);
  private final Alert dead = new Alert(new TreeMap<>(Map.of("alertname", AlertRules.DEAD,
      "agent", "w7")), Map.of("summary", "w7 is dead"), T0, Optional.empty(),
      Optional.of("http://m:9464/"));

  private JsonNode due(List<Alert> alerts, long second, boolean all) throws Exception {
    Optional<String> batch = schedule.due(alerts, second * S, T0.plusSeconds(second), all);
    return batch.isEmpty() ? null : JSON.readTree(batch.get());
  }

  @Test
  void aFiringAlertGoesAtOnceThenEachResendIntervalWithEndsAtFourAhead() throws Exception {
    JsonNode first = due(List.of(dead), 0, false);
    assertThat(first).hasSize(1);
    assertThat(first.get(0).path("labels").path("agent").asText()).isEqualTo("w7");
    assertThat(first.get(0).path("annotations").path("summary").asText()).isEqualTo("w7 is dead");
    assertThat(first.get(0).path("startsAt").asText()).isEqualTo(T0.toString());
    assertThat(first.get(0).path("endsAt").asText()).isEqualTo(T0.plus(RESEND.multipliedBy(4))
        .toString());
    assertThat(first.get(0).path("generatorURL").asText()).isEqualTo("http://m:9464/");
    assertThat(due(List.of(dead), 59, false)).as("not due yet").isNull();
    assertThat(due(List.of(dead), 60, false).get(0).path("endsAt").asText())
        .isEqualTo(T0.plusSeconds(60).plus(RESEND.multipliedBy(4)).toString());
  }

  @Test
  void aResolutionGoesAtOnceWithItsInstantAndEverythingGoesOnTakeover() throws Exception {
    due(List.of(dead), 0, false);
    Alert over = dead.resolve(T0.plusSeconds(10));
    assertThat(due(List.of(over), 11, false).get(0).path("endsAt").asText())
        .isEqualTo(T0.plusSeconds(10).toString());
    assertThat(due(List.of(over), 12, false)).isNull();
    assertThat(due(List.of(over), 13, true)).as("all, for a new sender").hasSize(1);
  }

  @Test
  void anAlertTheRulesDroppedIsForgottenAndSentAtOnceShouldItComeBack() throws Exception {
    due(List.of(dead), 0, false);
    assertThat(due(List.of(), 1, false)).isNull();
    assertThat(due(List.of(dead), 2, false)).as("new again").hasSize(1);
  }
}
