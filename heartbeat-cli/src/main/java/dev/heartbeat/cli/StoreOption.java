package dev.heartbeat.cli;

import picocli.CommandLine.Option;

/** The {@code --store URI} option of {@code status}, {@code watch} and {@code beat}. */
final class StoreOption {
  @Option(names = "--store", paramLabel = "URI",
      description = "The store: file:DIR, jdbc:URL, redis://HOST:PORT, grpc://HOST:PORT. "
          + "Default: $"
          + StoreUri.STORE_ENV + ", else file:${user.home}/.heartbeat. The password may come "
          + "from $" + StoreUri.PASSWORD_ENV + " or the URI's user-info; it is never printed.")
  String store;

  /**
   * The store to use; {@code memory:} is refused: it lives in one process, so nothing else
   * could have written to it.
   */
  StoreUri resolve(Cli cli, String command) {
    String text = store != null ? store : cli.env().get(StoreUri.STORE_ENV);
    if (text == null) {
      text = "file:" + System.getProperty("user.home") + "/.heartbeat";
    }
    StoreUri uri = StoreUri.parse(text, cli.env());
    if (uri.isMemory()) {
      throw new CliFailure(ExitCodes.USAGE, "--store memory: is only for demo: a memory store "
          + "lives inside one process, so " + command + " would see an empty store; use file:, "
          + "jdbc: or redis://");
    }
    return uri;
  }
}
