package dev.heartbeat.cli;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.monitor.BoundsRule;
import dev.heartbeat.monitor.Monitor;
import dev.heartbeat.monitor.MonitorBuilder;
import dev.heartbeat.monitor.Thresholds;
import dev.heartbeat.spi.HeartbeatStore;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code heartbeat monitor}: serves the monitor of heartbeat-monitor ({@code /}, {@code /status},
 * {@code /metrics}, {@code /events}, {@code /healthz}) for a store, until stopped. The store must
 * exist (nothing is created); {@code /status} is the document {@code status --json} prints.
 */
@Command(name = "monitor", mixinStandardHelpOptions = true,
    description = "Serves a dashboard, /status (heartbeat-status/1), /metrics (Prometheus) and "
        + "/events for a store until stopped; creates nothing.")
final class MonitorCommand implements Callable<Integer> {
  private final Cli cli;

  @Mixin
  StoreOption store;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "9464",
      description = "The port (0: any free one). Default: 9464.")
  int port;

  @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
      description = "The address to listen on. Default: 127.0.0.1 (this host only).")
  String bind;

  @Option(names = "--token-env", paramLabel = "VAR",
      description = "Require the bearer token held by this environment variable.")
  String tokenEnv;

  @Option(names = "--lease", paramLabel = "NAME",
      description = "A lease whose transitions go to /events and /metrics (repeatable).")
  List<String> leases = List.of();

  @Option(names = "--queue", paramLabel = "NAME",
      description = "A task queue to show and meter (repeatable).")
  List<String> queues = List.of();

  @Option(names = "--alertmanager", paramLabel = "URL",
      description = "Page through this Alertmanager (repeatable: list each one, never a "
          + "balancer) about the leases and queues named, linking to this monitor's page; only "
          + "the holder of the notifier lease sends.")
  List<String> alertmanagers = List.of();

  MonitorCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    String token = token();
    StoreUri uri = store.resolve(cli, "monitor");
    try (HeartbeatStore opened = uri.openExisting();
        Heartbeats hb = Heartbeats.builder().store(opened)
            .holderId("heartbeat-monitor-" + ProcessHandle.current().pid()).build();
        Monitor monitor = build(hb, uri, token).start()) {
      cli.out().println("monitor: " + uri.shown() + " on http://"
          + monitor.address().getHostString() + ":" + monitor.port() + "/");
      if (monitor.notifier().isPresent()) {
        cli.out().println("alerts: " + String.join(", ", alertmanagers));
      }
      cli.out().flush();
      while (!Thread.currentThread().isInterrupted()) {
        cli.pacer().pause(Duration.ofSeconds(1));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (UncheckedIOException e) {
      throw new CliFailure(ExitCodes.USAGE, "cannot listen on " + bind + ":" + port + ": "
          + e.getCause().getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.USAGE, e.getMessage(), e);
    }
    return ExitCodes.OK;
  }

  private MonitorBuilder build(Heartbeats hb, StoreUri uri, String token) {
    MonitorBuilder b = Monitor.builder(hb).port(port).bind(bind).storeName(uri.shown())
        .rule(new BoundsRule(Thresholds.DEFAULTS, BoundsRule.DEFAULT_INTERVAL));
    if (token != null) {
      b.token(token);
    }
    leases.forEach(b::lease);
    queues.forEach(b::queue);
    alertmanagers.forEach(b::alertmanager);
    return b;
  }

  private String token() {
    if (tokenEnv == null) {
      return null;
    }
    String token = cli.env().get(tokenEnv);
    if (token == null || token.isEmpty()) {
      throw new CliFailure(ExitCodes.USAGE, "--token-env " + tokenEnv
          + ": the environment variable is not set");
    }
    return token;
  }
}
