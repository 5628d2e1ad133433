package dev.heartbeat.cli;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.spi.HeartbeatStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code heartbeat demo}: three candidates for the lease {@code orchestrator} and three workers,
 * each in a JVM of its own (or on its own {@code Heartbeats} in this JVM with
 * {@code --nodes thread}, and always for {@code memory:}); then the leader and worker 3 are
 * killed and worker 2 stops making progress, and the demo shows what the store tells about it.
 * Ends by itself with a summary: exit 0 when all of it was seen, 1 otherwise.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Watch a leader fail over and a dead and a stuck worker get noticed, live.")
final class DemoCommand implements Callable<Integer> {
  /** Where the members run. */
  enum Nodes { PROCESS, THREAD }

  private final Cli cli;

  @Option(names = "--store", paramLabel = "URI", description = "The store: file:DIR, "
      + "jdbc:URL, redis://HOST:PORT or memory:. Default: a file store in a new temporary "
      + "directory, removed at the end. On a store you give, names get a demo-<random>- "
      + "prefix.")
  String store;

  @Option(names = "--nodes", paramLabel = "MODE", defaultValue = "process",
      description = "process (default): each member in its own JVM, killed with SIGKILL; "
          + "thread: each on its own Heartbeats in this JVM, killed by cutting its store calls.")
  Nodes nodes;

  DemoCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws InterruptedException {
    Path work = temporary();
    boolean own = store == null;
    StoreUri uri = StoreUri.parse(own ? "file:" + work.resolve("store") : store, cli.env());
    Nodes mode = uri.isMemory() ? Nodes.THREAD : nodes;
    DemoCast cast = own || uri.isMemory() ? DemoCast.plain() : DemoCast.prefixed();
    int code;
    try (HeartbeatStore observer = uri.open();
        Observer detector = new Observer(observer, DemoTiming.DETECTOR, DemoTiming.FALLBACK)) {
      DemoScreen screen = new DemoScreen(cli);
      screen.header("heartbeat demo on " + uri.shown());
      screen.header("  " + DemoCast.SIZE + " candidates for the lease '" + cast.lease() + "' and "
          + DemoCast.SIZE + " workers, each " + (mode == Nodes.PROCESS ? "in its own JVM"
              : "on its own Heartbeats in this JVM") + (uri.isMemory() && nodes == Nodes.PROCESS
                  ? " (memory: cannot be shared between processes)" : ""));
      screen.header("  workers beat every " + Durations.format(DemoTiming.BEAT) + "; lease ttl "
          + Durations.format(DemoTiming.LEASE.ttl()) + ", renewed every "
          + Durations.format(DemoTiming.LEASE.renewInterval()));
      screen.header("  states by " + detector.rule().name());
      DemoRun.Launcher launcher = mode == Nodes.PROCESS
          ? (role, id, task) -> ProcessNode.start(uri, role, id, cast.lease(), task,
              work.resolve(id + ".log"))
          : (role, id, task) -> ThreadNode.start(observer, role, id, cast.lease(), task);
      Duration startup = DemoTiming.STARTUP;
      if (uri.scheme().startsWith("redis")) {
        startup = startup.plus(DemoTiming.REDIS_QUARANTINE);
        screen.header("  (a Redis store that never held a lease hands none out for its first "
            + Durations.format(DemoTiming.REDIS_QUARANTINE) + ": its data-loss quarantine)");
      }
      code = new DemoRun(cli, observer, detector.rule(), uri.shown(), cast, screen, startup)
          .run(launcher);
    } catch (HeartbeatStoreException e) {
      throw uri.unreachable(e);
    }
    if (code == ExitCodes.OK) {
      delete(work);
    } else {
      cli.out().println("logs of the members: " + work);
    }
    return code;
  }

  private static Path temporary() {
    try {
      return Files.createTempDirectory("heartbeat-demo-");
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.INTERNAL, "cannot create a temporary directory: "
          + e.getMessage(), e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
  }
}
