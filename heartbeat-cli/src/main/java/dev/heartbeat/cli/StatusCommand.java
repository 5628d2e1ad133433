package dev.heartbeat.cli;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.spi.HeartbeatStore;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code heartbeat status}: agents and leases of a store, once. Exit code 0 when every agent is
 * ALIVE (or LEFT on purpose) and every lease held, 1 when something is degraded, 2 when the
 * store cannot be reached. {@code --json} prints the document described in {@link StatusJson}.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Agents and leases of a store. Exit code 0: all alive and held, "
        + "1: degraded, 2: store unreachable.")
final class StatusCommand implements Callable<Integer> {
  private final Cli cli;

  @Mixin
  StoreOption store;

  @Mixin
  RuleOptions rule;

  @Option(names = "--json", description = "Print the status as a JSON document (format "
      + StatusJson.FORMAT + ").")
  boolean json;

  StatusCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    StoreUri uri = store.resolve(cli, "status");
    LivenessRule judge = new BoundsRule(rule.thresholds(), BoundsRule.DEFAULT_INTERVAL);
    try (HeartbeatStore opened = uri.open()) {
      Snapshot s = Snapshot.read(opened, uri.shown(), judge);
      cli.out().print(json ? StatusJson.of(s) + "\n" : StatusTable.render(s, Set.of(), cli.ansi()));
      return s.exitCode();
    } catch (HeartbeatStoreException e) {
      return unreachable(uri, uri.unreachable(e));
    } catch (CliFailure f) {
      if (f.exitCode() != ExitCodes.UNREACHABLE) {
        throw f;
      }
      return unreachable(uri, f);
    }
  }

  private int unreachable(StoreUri uri, CliFailure f) {
    if (json) {
      cli.out().println(StatusJson.unreachable(uri.shown(), f.getMessage()));
    }
    cli.err().println("status: " + f.getMessage());
    return ExitCodes.UNREACHABLE;
  }
}
