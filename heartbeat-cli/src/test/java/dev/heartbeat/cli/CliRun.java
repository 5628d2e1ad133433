package dev.heartbeat.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/**
 * Runs the command in this JVM, as {@code main} would, with captured output.
 *
 * @param code the exit code
 * @param out what went to standard output
 * @param err what went to standard error
 */
record CliRun(int code, String out, String err) {

  /** No environment, no waiting between refreshes, no ANSI. */
  static CliRun run(String... args) {
    return run(Map.of(), d -> { }, false, args);
  }

  static CliRun run(Map<String, String> env, Cli.Pacer pacer, boolean ansi, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Cli cli = new Cli(new PrintWriter(out, true), new PrintWriter(err, true), env, pacer,
        new Ansi(ansi));
    int code = Main.run(cli, args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** Standard output and error, for assertion messages. */
  String both() {
    return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
  }
}
