package dev.heartbeat.spi;

import java.time.Instant;

/**
 * A stored record that could not be read and was skipped.
 *
 * @param location where the record lives (a file path, a table and key, a Redis key)
 * @param problem what is wrong with it
 * @param seenAt when the store first noticed it (local wall clock)
 */
public record StoreProblem(String location, String problem, Instant seenAt) {
  /** Checks the components; see the class comment for what each must be. */
  public StoreProblem {
    Checks.notNull("location", location);
    Checks.notNull("problem", problem);
    Checks.notNull("seenAt", seenAt);
  }
}
