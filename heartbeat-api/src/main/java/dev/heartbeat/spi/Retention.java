package dev.heartbeat.spi;

import java.time.Duration;

/**
 * What history to keep: heartbeats and progress events older than {@code maxAge} (by the store's
 * clock) or beyond the newest {@code keepLast} per agent are removed by
 * {@link HeartbeatStore#prune(Retention)}.
 *
 * @param keepLast how many of the newest entries are kept per agent, at most
 * @param maxAge entries older than this (by the store's clock) are removed
 */
public record Retention(Duration maxAge, int keepLast) {
  /** A day of history, at most 1,000 entries per agent. */
  public static final Retention DEFAULT = new Retention(Duration.ofDays(1), 1000);

  /** Checks the components; see the class comment for what each must be. */
  public Retention {
    Checks.positive("maxAge", maxAge);
    Checks.atLeast("keepLast", keepLast, 1);
  }
}
