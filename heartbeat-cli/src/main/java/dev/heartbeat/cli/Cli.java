package dev.heartbeat.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the commands print to and read from: output streams, the environment, how to wait, and
 * whether to style output. Tests pass their own.
 *
 * @param out standard output
 * @param err standard error
 * @param env the environment variables
 * @param pacer how {@code watch} and {@code demo} wait between refreshes
 * @param ansi whether standard output is a terminal that gets ANSI styling
 */
record Cli(PrintWriter out, PrintWriter err, Map<String, String> env, Pacer pacer, Ansi ansi) {

  /** Waits between refreshes. */
  @FunctionalInterface
  interface Pacer {
    /** Waits {@code d} (the real one), or returns at once (tests). */
    void pause(Duration d) throws InterruptedException;

    /** Real time. */
    Pacer REAL = d -> Thread.sleep(d);
  }

  /** Masks the password from the environment and the patterns of credentials. */
  Redactor redactor() {
    return new Redactor(List.of(env.getOrDefault(StoreUri.PASSWORD_ENV, "")));
  }
}
