package dev.heartbeat.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private {@code redis-server} on a free loopback port, in a temporary directory of its own,
 * for tests that kill, pause or restart their server. It saves nothing by itself (no {@code save}
 * points, no AOF), but a test may snapshot it ({@link #save()}): a restart then loads that
 * snapshot, as a crashed Redis with RDB persistence does. Waiting for it to accept connections is
 * a bounded poll for an outcome.
 */
final class RedisServer implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(20);
  private int port;
  private final Path dir;
  private final List<String> extra;
  private Process process;

  private RedisServer(int port, Path dir, List<String> extra) {
    this.port = port;
    this.dir = dir;
    this.extra = extra;
  }

  /** Starts a server; {@code extra} are more {@code redis-server} arguments. */
  static RedisServer start(String... extra) {
    try {
      RedisServer server = new RedisServer(freePort(), Files.createTempDirectory("hb-redis-"),
          List.of(extra));
      server.startProcess();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return port;
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  Path dir() {
    return dir;
  }

  /** Writes a snapshot ({@code SAVE}) to the server's directory, which a restart loads. */
  void save() {
    String out = cli("SAVE");
    if (!out.trim().equals("OK")) {
      throw new IllegalStateException("SAVE on port " + port + " answered " + out);
    }
  }

  /** Runs one command through {@code redis-cli} and returns what it printed. */
  String cli(String... command) {
    List<String> line = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
    line.addAll(List.of(command));
    try {
      Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", line) + " did not end");
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Kills the server (SIGKILL): every key written since the last {@link #save()} is lost (all of
   * them without one), clients see the connection drop.
   */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the server again on the same port, from its last snapshot, or empty without one. */
  void restart() {
    kill();
    startProcess();
  }

  /** Freezes the server (SIGSTOP): connections stay open and nothing answers. */
  void pause() {
    signal("STOP");
  }

  /** Thaws a frozen server (SIGCONT). */
  void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Starts redis-server and waits until it logs that it accepts connections. Another process
   * may take the free port first (engineers and CI share the machine): a fresh server then moves
   * to another port, a restarting one tries its own port again, a bounded number of times.
   */
  private void startProcess() {
    boolean fresh = process == null;
    for (int attempt = 1; ; attempt++) {
      if (launch()) {
        return;
      }
      if (attempt == 5) {
        throw new IllegalStateException("redis-server on port " + port + " did not start; see "
            + dir.resolve("redis.log"));
      }
      if (fresh) {
        port = freePort();
      }
      pause(200);
    }
  }

  private boolean launch() {
    List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
    command.addAll(extra);
    Path log = dir.resolve("redis.log");
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start redis-server (is it installed?)", e);
    }
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() - deadline < 0 && process.isAlive()) {
      if (ready(log) && accepts()) {
        return true;
      }
      pause(20);
    }
    process.destroyForcibly();
    return false;
  }

  private static boolean ready(Path log) {
    try {
      return Files.readString(log).contains("Ready to accept connections");
    } catch (IOException e) {
      return false;
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private boolean accepts() {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the server and deletes its directory. */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      resume();
      kill();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
