package dev.heartbeat.examples.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The child JVMs of one test: started with this JVM's {@code java} and class path, their output
 * in {@code dir/NAME.out} and {@code dir/NAME.err}, their standard input a pipe that this JVM
 * holds open (a child exits when it closes, so none outlives the test JVM). {@link #close()}
 * kills every child still alive, stopped or not, and waits for each to go; call it from an
 * {@code @AfterEach}. At most {@link #MAX_CHILDREN} children.
 */
final class Procs implements AutoCloseable {
  static final int MAX_CHILDREN = 16;
  private final Path dir;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Process, String> names = new LinkedHashMap<>(); // guarded by lock

  Procs(Path dir) {
    this.dir = dir;
  }

  /** Starts {@code main} with {@code args} as the child {@code name}. */
  Process start(String name, Class<?> main, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-Xmx128m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    lock.lock();
    try {
      if (names.size() >= MAX_CHILDREN) {
        throw new IllegalStateException("at most " + MAX_CHILDREN + " children, got "
            + names.size() + " started");
      }
      Process p = new ProcessBuilder(command)
          .redirectOutput(dir.resolve(name + ".out").toFile())
          .redirectError(dir.resolve(name + ".err").toFile())
          .start();
      names.put(p, name);
      return p;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the child printed a line holding {@code text}. */
  void awaitOutput(Process p, String text) {
    Path out = dir.resolve(name(p) + ".out");
    Poll.until(name(p) + " prints " + text, Poll.BOUND,
        () -> read(out).contains(text) || !p.isAlive(), () -> output(p));
    assertThat(p.isAlive()).as("%s alive: %s", name(p), output(p)).isTrue();
  }

  /** Sends {@code signal} ({@code -STOP}, {@code -CONT}) to the child. */
  void signal(Process p, String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(p.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0)
        .as("kill %s %s succeeded", signal, name(p)).isTrue();
  }

  /** SIGKILLs the child and waits until it is gone. */
  void kill(Process p) throws InterruptedException {
    p.destroyForcibly();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("%s gone after SIGKILL", name(p)).isTrue();
  }

  /** What the child wrote to its standard error so far, for failure messages. */
  String output(Process p) {
    return name(p) + " stderr: " + read(dir.resolve(name(p) + ".err"));
  }

  private String name(Process p) {
    lock.lock();
    try {
      return names.getOrDefault(p, "child " + p.pid());
    } finally {
      lock.unlock();
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    List<Process> all;
    lock.lock();
    try {
      all = List.copyOf(names.keySet());
    } finally {
      lock.unlock();
    }
    for (Process p : all) {
      p.destroyForcibly();
    }
    for (Process p : all) {
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
