package dev.heartbeat.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A demo member in a child JVM running this same command's hidden {@code demo-node}, on the
 * same class path. Commands go down its standard input; its output goes to a log file.
 * {@link #kill()} is {@link Process#destroyForcibly()}: SIGKILL.
 */
final class ProcessNode implements DemoNode {
  private final String id;
  private final Process process;

  private ProcessNode(String id, Process process) {
    this.id = id;
    this.process = process;
  }

  static ProcessNode start(StoreUri store, DemoRole role, String id, String lease, String task,
      Path log) {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xmx96m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), NodeCommand.NAME,
        "--role", role.name(), "--id", id, "--lease", lease));
    if (task != null) {
      command.addAll(List.of("--task", task));
    }
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put(NodeCommand.STORE_ENV, store.uri());
    try {
      return new ProcessNode(id, pb.start());
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.INTERNAL, "cannot start a JVM for " + id + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public String id() {
    return id;
  }

  /** Its process id, for the demo's output. */
  long pid() {
    return process.pid();
  }

  @Override
  public void stall() {
    send("stall");
  }

  @Override
  public void kill() {
    process.destroyForcibly();
    waitFor();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      send("stop");
      waitFor();
    }
  }

  private void waitFor() {
    try {
      if (!process.waitFor(DemoTiming.NODE_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void send(String line) {
    try {
      OutputStream in = process.getOutputStream();
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      if (process.isAlive()) {
        throw new UncheckedIOException("cannot talk to " + id, e);
      }
    }
  }
}
