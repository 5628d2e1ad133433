package dev.heartbeat.benchmarks;

import java.util.concurrent.ThreadLocalRandom;

/** Fresh prefixes so that benchmarks never touch each other's (or the tests') data. */
final class Names {
  private Names() {}

  /** A short random tag: {@code hbb} and six base-36 digits, valid as a SQL identifier part. */
  static String tag() {
    return "hbb" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36 * 36),
        36);
  }
}
