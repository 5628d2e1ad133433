package dev.heartbeat.monitor;

import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.file.FileStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker process of the tests that kill one: agent {@code args[1]} beats every
 * {@code args[2]} milliseconds into the file store at {@code args[0]}, on real time, until the
 * process is killed. Prints {@code BEATING} after its first stored beat.
 */
public final class WorkerChild {
  private WorkerChild() {}

  public static void main(String[] args) throws InterruptedException {
    Heartbeats hb = Heartbeats.builder().store(FileStore.builder(Path.of(args[0])).build())
        .holderId(args[1]).build();
    HeartbeatAgent agent = hb.agent(args[1])
        .interval(Duration.ofMillis(Long.parseLong(args[2]))).start();
    while (agent.diagnostics().beats().succeeded() == 0) {
      Thread.sleep(10);
    }
    System.out.println("BEATING");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE); // until killed: it never closes, as a crashed worker
  }

  /**
   * Starts {@code main} in a child JVM on this test's class path, its output to
   * {@code <id>-<run>.log} in {@code dir}.
   */
  static Process start(Path dir, Path storeDir, String id, int run, Duration interval)
      throws IOException {
    return child(dir.resolve(id + "-" + run + ".log"), WorkerChild.class, storeDir.toString(),
        id, Long.toString(interval.toMillis()));
  }

  /** The lines a child wrote to {@code log} so far (none before the file exists). */
  static List<String> lines(Path log) {
    try {
      return Files.exists(log) ? Files.readAllLines(log) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A child JVM running {@code main}'s class with {@code args}, its output to {@code log}. */
  static Process child(Path log, Class<?> main, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java,
        "-XX:TieredStopAtLevel=1", "-Xmx96m", "-cp", System.getProperty("java.class.path"),
        main.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
  }
}
