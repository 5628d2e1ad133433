package dev.heartbeat.micrometer;

import static dev.heartbeat.micrometer.MetricsRig.count;
import static dev.heartbeat.micrometer.MetricsRig.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.HeartbeatAgent;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-agent series only when opted in, for at most the cap's number of agents of the store,
 * with the age of each one's last stored beat.
 */
class PerAgentSeriesTest {
  private final MetricsRig rig = new MetricsRig();

  @AfterEach
  void close() {
    rig.close();
  }

  @Test
  void withoutTheOptInThereIsNoSeriesPerAgent() {
    rig.ghost("g1");
    try (HeartbeatMetrics metrics = HeartbeatMetrics.of(rig.hb)) {
      metrics.bindTo(rig.registry);
      metrics.refresh();
      assertThat(rig.scrape()).doesNotContain("heartbeat_agent_beat_age").doesNotContain("g1");
    }
  }

  @Test
  void theCapHoldsAndTheAgesArePlausible() {
    HeartbeatAgent pacer = rig.agent("a0");
    for (int i = 1; i <= 9; i++) {
      rig.ghost("g" + i);
    }
    try (HeartbeatMetrics metrics = HeartbeatMetrics.builder(rig.hb).perAgent(4)
        .refreshEvery(Duration.ofHours(1)).build()) {
      metrics.bindTo(rig.registry);
      assertThat(count(rig.scrape(), "heartbeat_agent_beat_age_seconds")).isEqualTo(4);

      rig.until("7 s later", 7, pacer, () -> rig.time.elapsed().toSeconds() >= 7);
      metrics.refresh();
      String s = rig.scrape();
      assertThat(count(s, "heartbeat_agent_beat_age_seconds")).isEqualTo(4);
      s.lines().filter(l -> l.startsWith("heartbeat_agent_beat_age_seconds{")).forEach(l -> {
        String series = l.substring(0, l.lastIndexOf(' '));
        double age = value(s, series);
        if (series.contains("\"a0\"")) {
          assertThat(age).as(series).isBetween(0.0, 2.0); // beats every second
        } else {
          assertThat(age).as(series).isBetween(6.0, 8.0); // beat once, 7 s ago
        }
      });
      // more refreshes and more agents: still the cap
      rig.ghost("g10");
      metrics.refresh();
      metrics.refresh();
      assertThat(count(rig.scrape(), "heartbeat_agent_beat_age_seconds")).isEqualTo(4);
    }
  }

  @Test
  void anAgentForgottenByTheStoreLosesItsSeriesAndFreesItsPlace() {
    rig.ghost("g1");
    rig.ghost("g2");
    try (HeartbeatMetrics metrics = HeartbeatMetrics.builder(rig.hb).perAgent(1)
        .refreshEvery(Duration.ofHours(1)).build()) {
      metrics.bindTo(rig.registry);
      String before = rig.scrape();
      assertThat(count(before, "heartbeat_agent_beat_age_seconds")).isEqualTo(1);
      String first = before.contains("agent=\"g1\"") ? "g1" : "g2";
      String second = first.equals("g1") ? "g2" : "g1";

      assertThat(rig.store.forget(first)).isTrue();
      rig.time.advance(Duration.ofSeconds(2)); // past the registry's snapshot age
      metrics.refresh();
      String after = rig.scrape();
      assertThat(after).doesNotContain("agent=\"" + first + "\"")
          .contains("heartbeat_agent_beat_age_seconds{agent=\"" + second + "\"}");
    }
  }
}
