package dev.heartbeat.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Node for the tests: npm installs {@code @grpc/grpc-js} and {@code @grpc/proto-loader} into
 * target/node-client once, and Node processes run with them on {@code NODE_PATH}. A missing
 * node or npm fails the test that needs it, never skips it.
 */
final class NodeProcesses {
  static final Path MODULE = Path.of("").toAbsolutePath();
  static final Path NODE_DIR = MODULE.resolve("target/node-client");
  /** The Node package of the repository (clients/node). */
  static final Path CLIENT = MODULE.resolveSibling("clients").resolve("node");
  private static final ReentrantLock INSTALL = new ReentrantLock();

  private NodeProcesses() {}

  /** npm installs the two packages into target/node-client once; a missing npm fails here. */
  static void installClientLibraries() throws Exception {
    INSTALL.lock();
    try {
      if (Files.isDirectory(NODE_DIR.resolve("node_modules/@grpc/grpc-js"))
          && Files.isDirectory(NODE_DIR.resolve("node_modules/@grpc/proto-loader"))) {
        return;
      }
      Files.createDirectories(NODE_DIR);
      Files.writeString(NODE_DIR.resolve("package.json"),
          "{\"name\":\"heartbeat-node-client-test\",\"private\":true}\n");
      run(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", NODE_DIR.toString(),
          "@grpc/grpc-js@1", "@grpc/proto-loader@0.7"), 300);
    } finally {
      INSTALL.unlock();
    }
  }

  /** Runs {@code command} to its end within {@code seconds}; asserts exit 0; answers its output. */
  static String run(List<String> command, int seconds) throws Exception {
    Path log = Files.createTempFile(Files.createDirectories(NODE_DIR), "run", ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("NODE_PATH", NODE_DIR.resolve("node_modules").toString());
    Process p = start(pb, command);
    p.getOutputStream().close();
    boolean finished = p.waitFor(seconds, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly();
    }
    String text = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(finished).as("%s finished within %d s; output:%n%s", command, seconds, text)
        .isTrue();
    assertThat(p.exitValue()).as("%s exited 0; output:%n%s", command, text).isZero();
    return text;
  }

  /** Starts a long-running node script of src/test/node; its output lines are kept. */
  static Running spawn(String script, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("node",
        MODULE.resolve("src/test/node").resolve(script).toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("NODE_PATH", NODE_DIR.resolve("node_modules").toString());
    return new Running(start(pb, command));
  }

  private static Process start(ProcessBuilder pb, List<String> command) {
    try {
      return pb.start();
    } catch (IOException e) {
      throw new AssertionError(command.getFirst() + " is needed for this test and could not be "
          + "started: " + e.getMessage(), e);
    }
  }

  /** A running node process and the lines it printed (at most {@link #MAX_LINES}). */
  static final class Running implements AutoCloseable {
    static final int MAX_LINES = 10_000;
    final Process process;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    Running(Process process) {
      this.process = process;
      this.reader = Thread.ofPlatform().daemon().name("node-" + process.pid()).start(this::read);
    }

    private void read() {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lock.lock();
          try {
            if (lines.size() < MAX_LINES) {
              lines.add(line);
            }
          } finally {
            lock.unlock();
          }
        }
      } catch (IOException e) {
        // the process was killed: its output ends here
      }
    }

    List<String> lines() {
      lock.lock();
      try {
        return List.copyOf(lines);
      } finally {
        lock.unlock();
      }
    }

    boolean printed(Predicate<String> line) {
      return lines().stream().anyMatch(line);
    }

    /** The token of the last "elected TOKEN" line of a candidate, or 0. */
    long electedToken() {
      List<String> all = lines();
      for (int i = all.size() - 1; i >= 0; i--) {
        if (all.get(i).startsWith("elected ")) {
          return Long.parseLong(all.get(i).substring("elected ".length()));
        }
      }
      return 0;
    }

    /** Whether a candidate's last word on its leadership was "elected". */
    boolean leads() {
      List<String> all = lines();
      for (int i = all.size() - 1; i >= 0; i--) {
        if (all.get(i).startsWith("revoked ")) {
          return false;
        }
        if (all.get(i).startsWith("elected ")) {
          return true;
        }
      }
      return false;
    }

    /** Closes its stdin (the scripts then stop cleanly) and waits for the exit. */
    int stop(int seconds) throws Exception {
      process.getOutputStream().close();
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("node did not stop within " + seconds + " s; output: " + lines());
      }
      reader.join(TimeUnit.SECONDS.toMillis(seconds));
      return process.exitValue();
    }

    /** Kills it (SIGKILL): no goodbye reaches the server. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        kill();
      }
    }

    @Override
    public String toString() {
      return "node pid " + process.pid() + ", output " + lines();
    }
  }
}
