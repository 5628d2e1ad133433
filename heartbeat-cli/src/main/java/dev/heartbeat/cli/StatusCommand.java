package dev.heartbeat.cli;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.monitor.BoundsRule;
import dev.heartbeat.monitor.LivenessRule;
import dev.heartbeat.monitor.Snapshot;
import dev.heartbeat.monitor.StatusJson;
import dev.heartbeat.spi.HeartbeatStore;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code heartbeat status}: agents and leases of a store, once. Exit code 0 when every agent is
 * ALIVE (or LEFT on purpose) and every lease held, 1 when something is degraded, 2 when the
 * store cannot be reached, 4 when it does not exist or holds nothing. It only reads: a store
 * that is not there is not created. {@code --json} prints the document described in
 * {@link StatusJson}.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Agents and leases of a store; creates nothing. Exit code 0: all alive and "
        + "held, 1: degraded, 2: store unreachable, 4: no store there, or an empty one.")
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
    try (HeartbeatStore opened = uri.openExisting()) {
      Snapshot s = Snapshot.read(opened, uri.shown(), judge);
      cli.out().print(json ? StatusJson.of(s) + "\n" : StatusTable.render(s, Set.of(), cli.ansi()));
      return s.exitCode();
    } catch (HeartbeatStoreException e) {
      return failed(uri, uri.unreachable(e));
    } catch (CliFailure f) {
      if (f.exitCode() != ExitCodes.UNREACHABLE && f.exitCode() != ExitCodes.MISSING) {
        throw f;
      }
      return failed(uri, f);
    }
  }

  private int failed(StoreUri uri, CliFailure f) {
    if (json) {
      cli.out().println(StatusJson.failed(uri.shown(), f.getMessage(), f.exitCode()));
    }
    cli.err().println("status: " + f.getMessage());
    return f.exitCode();
  }
}
