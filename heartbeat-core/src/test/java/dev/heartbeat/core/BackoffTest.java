package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration BASE = Duration.ofSeconds(5);
  private static final Duration MAX = Duration.ofSeconds(20);

  @Test
  void doublesFromTheBaseUpToTheMaximumWithEqualJitter() {
    for (int i = 0; i < 200; i++) {
      assertThat(Backoff.delayNanos(BASE, MAX, 1)).isBetween(BASE.toNanos() / 2, BASE.toNanos());
      assertThat(Backoff.delayNanos(BASE, MAX, 2)).isBetween(BASE.toNanos(), 2 * BASE.toNanos());
      assertThat(Backoff.delayNanos(BASE, MAX, 3)).isBetween(MAX.toNanos() / 2, MAX.toNanos());
      assertThat(Backoff.delayNanos(BASE, MAX, 1_000_000)).isBetween(MAX.toNanos() / 2,
          MAX.toNanos());
    }
  }

  @Test
  void aBeatIsRetriedQuicklyFourTimesThenBacksOffFromTheInterval() {
    for (int i = 0; i < 200; i++) {
      for (int n = 1; n <= Backoff.QUICK_RETRIES; n++) {
        assertThat(Backoff.beatRetryNanos(BASE, MAX, n)).isBetween(BASE.toNanos() / 10,
            BASE.toNanos() / 5);
      }
      assertThat(Backoff.beatRetryNanos(BASE, MAX, Backoff.QUICK_RETRIES + 1))
          .isBetween(BASE.toNanos() / 2, BASE.toNanos());
      assertThat(Backoff.beatRetryNanos(BASE, MAX, 1_000_000)).isBetween(MAX.toNanos() / 2,
          MAX.toNanos());
    }
  }
}
