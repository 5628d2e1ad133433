package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fleet's tail of silences: learned from many samples, pessimistic on few. */
class FleetTailTest {
  private static final long S = 1_000_000_000L;
  private static final long INTERVAL = 5 * S;

  @Test
  void anExponentialTailIsLearnedWithinAFewPerCentErringLong() {
    FleetTail tail = new FleetTail(2 * S, INTERVAL);
    SplittableRandom random = new SplittableRandom(7);
    double beta = 2.0;
    double share = 0.01; // one inter-arrival in 100 is a pause with an exponential excess
    for (int i = 0; i < 1_000_000; i++) {
      long excess = random.nextDouble() < share
          ? (long) (-Math.log(1 - random.nextDouble()) * beta * S) : 0;
      tail.add(excess);
    }
    // the truth: P(excess > x) = share * exp(-x / beta) = 10^-7 at x = beta * ln(share * 10^7)
    double truth = beta * Math.log(share * 1e7);
    assertThat(tail.excessNanos(7) / (double) S).as("learned excess at 10^-7 per beat")
        .isBetween(truth, truth * 1.25);
  }

  @Test
  void steadyBeatsTeachAShortTailAndNoHistoryALongerOne() {
    FleetTail steady = new FleetTail(2 * S, INTERVAL);
    for (int i = 0; i < 1_000_000; i++) {
      steady.add(i % 2 == 0 ? S : -S); // rounding to the poll interval only
    }
    FleetTail young = new FleetTail(2 * S, INTERVAL);
    for (int i = 0; i < 60; i++) {
      young.add(0);
    }
    assertThat(steady.excessNanos(7)).as("a fleet that never paused")
        .isLessThan(young.excessNanos(7)).isLessThan(7 * S);
    assertThat(young.excessNanos(7)).as("60 beats seen: the prior's tail").isGreaterThan(8 * S);
  }

  @Test
  void theTailForgetsThePastWithAHalfLife() {
    FleetTail tail = new FleetTail(2 * S, INTERVAL);
    for (int i = 0; i < 100_000; i++) {
      tail.add(i % 50 == 0 ? 20 * S : 0); // a long pause in every 50 beats
    }
    long paused = tail.excessNanos(7);
    for (int i = 0; i < 20 * FleetTail.HALF_LIFE; i++) {
      tail.add(0);
    }
    assertThat(tail.excessNanos(7)).as("twenty half-lives of steady beats later")
        .isLessThan(paused / 2);
    assertThat(tail.samples()).isLessThan(2.0 * FleetTail.HALF_LIFE);
  }
}
