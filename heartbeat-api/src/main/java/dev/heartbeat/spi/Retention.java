package dev.heartbeat.spi;

import java.time.Duration;

/**
 * What history to keep: heartbeats and progress events older than {@code maxAge} (by the store's
 * clock) or beyond the newest {@code keepLast} per agent are removed by
 * {@link HeartbeatStore#prune(Retention)}.
 */
public record Retention(Duration maxAge, int keepLast) {
  /** A day of history, at most 1,000 entries per agent. */
  public static final Retention DEFAULT = new Retention(Duration.ofDays(1), 1000);

  public Retention {
    Checks.positive("maxAge", maxAge);
    Checks.atLeast("keepLast", keepLast, 1);
  }
}
