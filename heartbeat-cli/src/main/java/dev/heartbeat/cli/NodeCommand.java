package dev.heartbeat.cli;

import dev.heartbeat.Heartbeats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The hidden {@code node} command: one member of the demo in a JVM of its own, so that the demo
 * can really kill it. It obeys lines on standard input: {@code stall} stops progress,
 * {@code stop} (or end of input, when the demo is gone) leaves gracefully. It ends by itself
 * after {@link DemoTiming#NODE_LIFETIME} whatever happens.
 */
@Command(name = NodeCommand.NAME, hidden = true, description = "A member of the demo (internal).")
final class NodeCommand implements Callable<Integer> {
  static final String NAME = "demo-node";
  /** Lines read from standard input at most: bounds the loop. */
  static final int MAX_COMMANDS = 100;
  private final Cli cli;

  /** The store URI reaches the node through its environment, never its command line. */
  static final String STORE_ENV = "HEARTBEAT_DEMO_NODE_STORE";

  @Option(names = "--role", required = true)
  DemoRole role;

  @Option(names = "--id", required = true)
  String id;

  @Option(names = "--lease", required = true)
  String lease;

  @Option(names = "--task")
  String task;

  NodeCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws IOException {
    StoreUri uri = StoreUri.parse(cli.env().get(STORE_ENV), cli.env());
    Thread watchdog = Thread.ofPlatform().daemon().name("demo-node-lifetime").start(() -> {
      try {
        Thread.sleep(DemoTiming.NODE_LIFETIME);
        Runtime.getRuntime().halt(0);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Heartbeats hb = Heartbeats.builder().store(uri.open()).holderId(id)
        .agentDefaults(DemoTiming.AGENT).leaseDefaults(DemoTiming.LEASE).build();
    try (hb; Participant p = Participant.start(hb, role, id, lease, task)) {
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8));
      for (int i = 0; i < MAX_COMMANDS; i++) {
        String line = in.readLine();
        if (line == null || line.equals("stop")) {
          break;
        }
        if (line.equals("stall")) {
          p.stall();
        }
      }
    } finally {
      hb.store().close();
      watchdog.interrupt();
    }
    return ExitCodes.OK;
  }
}
