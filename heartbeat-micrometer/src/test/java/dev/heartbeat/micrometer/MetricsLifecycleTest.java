package dev.heartbeat.micrometer;

import static dev.heartbeat.micrometer.MetricsRig.count;
import static dev.heartbeat.micrometer.MetricsRig.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.LeaseManager;
import dev.heartbeat.LeaseWatch;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The binder's meters leave the registry on {@link HeartbeatMetrics#close()} and once the
 * Heartbeats closes; meters of others stay; a binder binds once; bad options are refused by
 * name.
 */
class MetricsLifecycleTest {
  private final MetricsRig rig = new MetricsRig();

  @AfterEach
  void close() {
    rig.close();
  }

  @Test
  void closeRemovesEveryMeterOfTheBinderAndOnlyThose() {
    HeartbeatAgent a1 = rig.agent("a1");
    rig.registry.counter("app.requests").increment();
    HeartbeatMetrics metrics = HeartbeatMetrics.builder(rig.hb).agent(a1).queue("jobs")
        .perAgent(10).build();
    metrics.bindTo(rig.registry);
    String bound = rig.scrape();
    assertThat(value(bound, "heartbeat_beats_total{agent=\"a1\",result=\"succeeded\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(count(bound, "heartbeat_agent_beat_age_seconds")).isEqualTo(1);
    assertThat(metrics.meterCount()).isGreaterThan(20);

    metrics.close();
    metrics.close(); // idempotent
    assertThat(rig.scrape()).doesNotContain("heartbeat_").contains("app_requests_total");
    assertThat(rig.registry.getMeters()).extracting(m -> m.getId().getName())
        .containsExactly("app.requests");
    assertThat(metrics.meterCount()).isZero();
    assertThatThrownBy(() -> metrics.bindTo(rig.registry))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void theMetersLeaveOnceTheHeartbeatsClosesAtTheNextRefresh() {
    HeartbeatMetrics metrics = HeartbeatMetrics.builder(rig.hb).queue("jobs").build();
    metrics.bindTo(rig.registry);
    assertThat(count(rig.scrape(), "heartbeat_agents")).isEqualTo(5);

    rig.hb.close();
    metrics.refresh();
    assertThat(rig.scrape()).doesNotContain("heartbeat_");
    assertThat(rig.registry.getMeters()).isEmpty();
  }

  @Test
  void aBinderBindsOnceAndToNoClosedHeartbeats() {
    HeartbeatMetrics metrics = HeartbeatMetrics.of(rig.hb);
    metrics.bindTo(rig.registry);
    PrometheusMeterRegistry other = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try {
      assertThatThrownBy(() -> metrics.bindTo(other))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("bound already");
    } finally {
      other.close();
    }
    metrics.close();

    HeartbeatMetrics late = HeartbeatMetrics.of(rig.hb);
    rig.hb.close();
    assertThatThrownBy(() -> late.bindTo(rig.registry))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThat(rig.registry.getMeters()).isEmpty();
  }

  @Test
  void aBindingThatFailsPartWayLeavesNothingRegistered() {
    List<LeaseWatch> others = new ArrayList<>();
    for (int i = 0; i < LeaseManager.MAX_WATCHES; i++) {
      others.add(rig.hb.leases().watch("lease-" + i, lease -> { }));
    }
    HeartbeatMetrics metrics = HeartbeatMetrics.builder(rig.hb).queue("jobs").lease("one-more")
        .build();
    assertThatThrownBy(() -> metrics.bindTo(rig.registry))
        .isInstanceOf(IllegalStateException.class);
    assertThat(rig.registry.getMeters()).isEmpty();

    others.getFirst().close(); // a place for the binder's watch: binding again works
    metrics.bindTo(rig.registry);
    assertThat(count(rig.scrape(), "heartbeat_lease_token")).isEqualTo(1);
    metrics.close();
    assertThat(rig.registry.getMeters()).isEmpty();
    others.forEach(LeaseWatch::close);
  }

  @Test
  void badOptionsAreRefusedNamingTheParameterAndValue() {
    HeartbeatAgent a1 = rig.agent("a1");
    HeartbeatMetricsBuilder b = HeartbeatMetrics.builder(rig.hb).agent(a1);
    assertThatThrownBy(() -> b.agent(a1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("agent a1 is already added");
    assertThatThrownBy(() -> b.perAgent(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAgents must be between 1 and 10000, got 0");
    assertThatThrownBy(() -> b.perAgent(10_001)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 10001");
    assertThatThrownBy(() -> b.refreshEvery(Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("every must be between 1 s and 1 h, got PT0.01S");
    assertThatThrownBy(() -> b.refreshEvery(null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got null");
    assertThatThrownBy(() -> b.queue(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queue must not be blank, got ' '");
    assertThatThrownBy(() -> b.queue("jobs").queue("jobs"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("queue jobs is already added");
    assertThatThrownBy(() -> b.worker(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("worker must not be null");
    assertThatThrownBy(() -> HeartbeatMetrics.of(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("hb must not be null");
  }
}
