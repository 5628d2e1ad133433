package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The phi maths: monotone in silence, shifted by the acceptable pause, floored by min std dev. */
class PhiAccrualTest {
  private static final long S = Duration.ofSeconds(1).toNanos();
  private static final long MIN_STD = Duration.ofMillis(500).toNanos();

  private static PhiAccrual steady(long intervalNanos, int beats) {
    PhiAccrual phi = new PhiAccrual(100, intervalNanos);
    for (int i = 0; i < beats; i++) {
      phi.add(intervalNanos);
    }
    return phi;
  }

  @Test
  void phiGrowsWithSilenceAndCrossesEightWhereTheConfigJavadocSays() {
    PhiAccrual phi = steady(5 * S, 200);
    assertThat(phi.meanNanos()).isEqualTo(5 * S);
    assertThat(phi.stdDeviationMillis()).isEqualTo(0.0, within(1e-6));
    double previous = -1;
    for (long t = 0; t <= 20 * S; t += S / 10) {
      double p = phi.phi(t, MIN_STD, 5 * S);
      assertThat(p).isGreaterThanOrEqualTo(previous);
      previous = p;
    }
    assertThat(phi.phi(10 * S, MIN_STD, 5 * S)).as("at mean + pause").isEqualTo(0.30, within(0.01));
    assertThat(phi.phi(12_500_000_000L, MIN_STD, 5 * S)).isLessThan(8);
    assertThat(phi.phi(13_000_000_000L, MIN_STD, 5 * S)).isGreaterThan(8);
    assertThat(phi.phi(60 * S, MIN_STD, 5 * S)).isGreaterThan(100);
  }

  @Test
  void theAcceptablePauseMovesTheCurveAndTheMinimumDeviationWidensIt() {
    PhiAccrual phi = steady(5 * S, 200);
    assertThat(phi.phi(8 * S, MIN_STD, 0)).isGreaterThan(8);
    assertThat(phi.phi(8 * S, MIN_STD, 5 * S)).isLessThan(0.1);
    assertThat(phi.phi(8 * S, 2 * S, 0)).isLessThan(phi.phi(8 * S, MIN_STD, 0));
  }

  @Test
  void theWindowForgetsOldSamplesAndLearnsTheSpread() {
    PhiAccrual phi = steady(5 * S, 100);
    for (int i = 0; i < 100; i++) {
      phi.add(i % 2 == 0 ? S : 3 * S);
    }
    assertThat(phi.meanNanos()).isEqualTo(2 * S);
    assertThat(phi.stdDeviationMillis()).isEqualTo(1000.0, within(0.5));
  }

  @Test
  void anUntrainedWindowAssumesTheExpectedIntervalWithAQuarterOfItAsDeviation() {
    PhiAccrual phi = new PhiAccrual(100, 4 * S);
    assertThat(phi.meanNanos()).isEqualTo(4 * S);
    assertThat(phi.stdDeviationMillis()).isEqualTo(1000.0, within(0.5));
  }
}
