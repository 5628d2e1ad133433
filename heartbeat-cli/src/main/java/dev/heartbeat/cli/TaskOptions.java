package dev.heartbeat.cli;

import dev.heartbeat.spi.Checks;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What every {@code heartbeat tasks} command names: the store, the queue, and the output. */
final class TaskOptions {
  @Mixin
  StoreOption store;

  @Option(names = "--queue", required = true, paramLabel = "NAME", description = "The queue.")
  String queue;

  @Option(names = "--json", description = "Print a JSON document instead of text.")
  boolean json;

  /** The store, with the queue's name checked first (exit 64 naming it). */
  StoreUri resolve(Cli cli, String command) {
    try {
      Checks.id("--queue", queue);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.USAGE, e.getMessage());
    }
    return store.resolve(cli, command);
  }

  /** A task id option, checked (exit 64 naming it). */
  static String id(String id) {
    try {
      return Checks.id("--id", id);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.USAGE, e.getMessage());
    }
  }
}
