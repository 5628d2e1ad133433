package dev.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Call outcomes and their latency: last, max and a moving average. */
class CallStatsTest {
  private static final Instant AT = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void latencyIsZeroUntilMeasured() {
    assertThat(CallStats.NONE.lastLatency()).isEqualTo(Duration.ZERO);
    assertThat(CallStats.NONE.maxLatency()).isEqualTo(Duration.ZERO);
    assertThat(CallStats.NONE.meanLatency()).isEqualTo(Duration.ZERO);
    CallStats unmeasured = CallStats.NONE.success(AT);
    assertThat(unmeasured.succeeded()).isEqualTo(1);
    assertThat(unmeasured.lastLatency()).isEqualTo(Duration.ZERO);
  }

  @Test
  void lastMaxAndMovingAverage() {
    CallStats s = CallStats.NONE.success(AT, Duration.ofMillis(800));
    assertThat(s.lastLatency()).isEqualTo(Duration.ofMillis(800));
    assertThat(s.maxLatency()).isEqualTo(Duration.ofMillis(800));
    assertThat(s.meanLatency()).as("the first sample is the average").isEqualTo(Duration.ofMillis(800));
    s = s.success(AT, Duration.ofMillis(0));
    assertThat(s.lastLatency()).isEqualTo(Duration.ZERO);
    assertThat(s.maxLatency()).isEqualTo(Duration.ofMillis(800));
    assertThat(s.meanLatency()).as("7/8 old + 1/8 new").isEqualTo(Duration.ofMillis(700));
    s = s.failure(new IllegalStateException("down"));
    assertThat(s.lastLatency()).as("a failure leaves the latency as it was").isEqualTo(Duration.ZERO);
    assertThat(s.meanLatency()).isEqualTo(Duration.ofMillis(700));
    s = s.success(AT.plusSeconds(1));
    assertThat(s.consecutiveFailures()).isZero();
    assertThat(s.succeeded()).isEqualTo(3);
    assertThat(s.lastSuccess()).isEqualTo(AT.plusSeconds(1));
    assertThat(s.maxLatency()).isEqualTo(Duration.ofMillis(800));
  }

  @Test
  void manyFastCallsPullTheAverageDown() {
    CallStats s = CallStats.NONE.success(AT, Duration.ofSeconds(2));
    for (int i = 0; i < 100; i++) {
      s = s.success(AT, Duration.ofMillis(10));
    }
    assertThat(s.meanLatency()).isBetween(Duration.ofMillis(10), Duration.ofMillis(11));
    assertThat(s.maxLatency()).isEqualTo(Duration.ofSeconds(2));
  }
}
