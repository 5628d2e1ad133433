package dev.heartbeat.cli;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.HeartbeatStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code heartbeat forget}: removes an agent from the store, its latest state, history and
 * progress events, through {@link HeartbeatStore#forget}. For agents that left or died long ago.
 * A store that does not exist is not created (exit 4); an agent the store does not know is exit 3.
 * An agent that still runs registers again with its next beat.
 */
@Command(name = "forget", mixinStandardHelpOptions = true,
    description = "Remove an agent (latest state, history, events) from a store.")
final class ForgetCommand implements Callable<Integer> {
  private final Cli cli;

  @Mixin
  StoreOption store;

  @Option(names = "--agent", required = true, paramLabel = "ID", description = "The agent.")
  String agent;

  ForgetCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    StoreUri uri = store.resolve(cli, "forget");
    try {
      Checks.id("--agent", agent);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.USAGE, e.getMessage());
    }
    try (HeartbeatStore opened = uri.openExisting()) {
      if (!opened.forget(agent)) {
        throw new CliFailure(ExitCodes.UNKNOWN_AGENT, "agent '" + agent + "' is unknown to "
            + uri.shown() + ": nothing to forget");
      }
      cli.out().println("forgot agent " + agent + " in " + uri.shown());
      return ExitCodes.OK;
    } catch (HeartbeatStoreException e) {
      throw uri.unreachable(e);
    }
  }
}
