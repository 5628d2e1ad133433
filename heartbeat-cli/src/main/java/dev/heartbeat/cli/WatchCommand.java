package dev.heartbeat.cli;

import dev.heartbeat.DetectorConfig;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.monitor.BoundsRule;
import dev.heartbeat.monitor.LivenessRule;
import dev.heartbeat.monitor.Snapshot;
import dev.heartbeat.monitor.Thresholds;
import dev.heartbeat.spi.HeartbeatStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code heartbeat watch}: {@code status} again and again, redrawn in place on a terminal, with
 * the rows whose state, holder or token changed since the previous refresh highlighted. A store
 * that fails while watching is reported on the screen and read again at the next refresh; only
 * a store that cannot be opened or read the first time ends the command (exit 2). Ends on
 * Ctrl-C, or after {@code --count} refreshes.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Status refreshed in place every second until Ctrl-C; changes highlighted.")
final class WatchCommand implements Callable<Integer> {
  private final Cli cli;

  @Mixin
  StoreOption store;

  @Mixin
  RuleOptions rule;

  @Option(names = "--every", paramLabel = "DURATION", converter = Durations.class,
      defaultValue = "1s", description = "Time between refreshes (default: ${DEFAULT-VALUE}).")
  Duration every;

  @Option(names = "--interval", paramLabel = "DURATION", converter = Durations.class,
      defaultValue = "5s", description = "The agents' beat interval, which the stall detector "
          + "starts from before it learns each agent's (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = "--count", paramLabel = "N", defaultValue = "0",
      description = "Stop after N refreshes; 0 (the default) runs until Ctrl-C.")
  long count;

  WatchCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (count < 0) {
      throw new CliFailure(ExitCodes.USAGE, "--count must be 0 or more, got " + count);
    }
    StoreUri uri = store.resolve(cli, "watch");
    Thresholds thresholds = rule.thresholds();
    DetectorConfig config = RuleOptions.detector(thresholds, interval);
    try (HeartbeatStore opened = uri.openExisting();
        Observer observer = new Observer(opened, config, new BoundsRule(thresholds, interval))) {
      LivenessRule judge = observer.rule();
      Map<String, String> previous = null;
      for (long i = 0; count == 0 || i < count; i++) {
        if (i > 0) {
          cli.pacer().pause(every);
        }
        previous = refresh(opened, uri, judge, previous, i == 0);
      }
    }
    return ExitCodes.OK;
  }

  private Map<String, String> refresh(HeartbeatStore opened, StoreUri uri, LivenessRule judge,
      Map<String, String> previous, boolean first) {
    StringBuilder screen = new StringBuilder(cli.ansi().enabled() ? Ansi.HOME_CLEAR : "");
    Map<String, String> now = previous;
    try {
      Snapshot s = Snapshot.read(opened, uri.shown(), judge);
      now = keys(s);
      screen.append(StatusTable.render(s, changed(previous, now), cli.ansi()));
    } catch (HeartbeatStoreException e) {
      if (first) {
        throw uri.unreachable(e);
      }
      screen.append(cli.ansi().style(Ansi.RED, uri.unreachable(e).getMessage())).append('\n');
    }
    screen.append(cli.ansi().enabled() ? "" : "\n");
    cli.out().print(screen);
    cli.out().flush();
    return now;
  }

  /** What a change is judged on: each agent's state, each lease's holder and token. */
  static Map<String, String> keys(Snapshot s) {
    Map<String, String> keys = new HashMap<>();
    s.agents().forEach(a -> keys.put("agent:" + a.id(), a.state().name()));
    s.leases().forEach(l -> keys.put("lease:" + l.name(), l.lease().holder() + " (token "
        + l.lease().token() + (l.held() ? ")" : ", expired)")));
    return keys;
  }

  /** The keys that are new or different; nothing on the first refresh. */
  static Set<String> changed(Map<String, String> before, Map<String, String> after) {
    Set<String> out = new HashSet<>();
    if (before != null) {
      after.forEach((k, v) -> {
        if (!v.equals(before.get(k))) {
          out.add(k);
        }
      });
    }
    return out;
  }
}
