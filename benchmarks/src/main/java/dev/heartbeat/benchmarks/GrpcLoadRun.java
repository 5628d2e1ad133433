package dev.heartbeat.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Issue 20's load: {@code agents} agents (10,000 by default) beating once a second over
 * {@code BeatStream}s from this one process, through a {@code HeartbeatGrpcServer} in a child JVM
 * on a fresh PostgreSQL or Redis store, with a {@code Watch} stream. After a warm-up it measures
 * for a bounded time (60 s by default, at most 600): the beats the server stored, the server
 * process's CPU time (the child's, from {@code /proc/<pid>/stat} through {@link ProcessHandle}),
 * and the latency from a probe beat sent to its change seen on the watch (p50, p99; goal: p99
 * under 1 s). Then the baseline, in a second child JVM on another fresh store of the same kind:
 * as many {@code HeartbeatAgent}s on a {@code Heartbeats}, no gRPC, same interval; its CPU per
 * beat is the denominator of the server's. Not JMH: {@code benchmarks/run.sh grpc-load
 * --store=postgres|redis [agents] [seconds]}. Every wait is bounded; the whole run is killed
 * after {@link #limit}.
 */
public final class GrpcLoadRun {
  static final int MAX_AGENTS = 50_000;
  static final int MAX_SECONDS = 600;
  static final Duration WARM_UP = Duration.ofSeconds(10);
  static final Duration GRACE = Duration.ofSeconds(3);
  static final Duration START_LIMIT = Duration.ofMinutes(2);
  static final Duration REGISTER_LIMIT = Duration.ofMinutes(5);
  private static final List<Process> CHILDREN = new CopyOnWriteArrayList<>();

  /** One measured child JVM ({@link GrpcLoadChild}) and its line protocol. */
  static final class Child implements AutoCloseable {
    final Process process;
    private final Writer in;
    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(64);

    Child(String mode, String kind, int agents, Duration limit) throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      process = new ProcessBuilder(java, "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
          "-cp", System.getProperty("java.class.path"), GrpcLoadChild.class.getName(), mode, kind,
          String.valueOf(agents), String.valueOf(limit.toSeconds()))
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      CHILDREN.add(process);
      in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader = new Thread(() -> {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(
            process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (!lines.offer(line, 10, TimeUnit.SECONDS)) {
              return;
            }
          }
        } catch (IOException | InterruptedException e) {
          // the child ended
        }
      }, "grpc-load-child-" + mode);
      reader.setDaemon(true);
      reader.start();
    }

    /** The number after {@code word} in the child's next line. */
    long await(String word, Duration limit) throws InterruptedException {
      String line = lines.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null || !line.startsWith(word + " ")) {
        throw new IllegalStateException("the child (pid " + process.pid() + ", alive: "
            + process.isAlive() + ") answered " + (line == null ? "nothing in " + limit
            : "'" + line + "'") + ", expected '" + word + " <n>'");
      }
      return Long.parseLong(line.substring(word.length() + 1).trim());
    }

    /** The peak thread count of the child at its last {@link #mark()}. */
    long peakThreads;

    /** The beats the child's store has written so far. */
    long mark() throws IOException, InterruptedException {
      in.write("mark\n");
      in.flush();
      String line = lines.poll(30, TimeUnit.SECONDS);
      if (line == null || !line.startsWith("mark ")) {
        throw new IllegalStateException("the child (pid " + process.pid() + ") answered "
            + (line == null ? "nothing in 30 s" : "'" + line + "'") + " to mark");
      }
      String[] parts = line.split(" ");
      peakThreads = Long.parseLong(parts[2]);
      return Long.parseLong(parts[1]);
    }

    /** The child's CPU time so far (user + system, every thread), from /proc/<pid>/stat. */
    long cpuNanos() {
      return process.info().totalCpuDuration().orElseThrow(() -> new IllegalStateException(
          "the CPU time of the child " + process.pid() + " is not readable")).toNanos();
    }

    @Override
    public void close() throws InterruptedException {
      try {
        in.write("stop\n");
        in.close();
      } catch (IOException e) {
        // already gone
      }
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      CHILDREN.remove(process);
    }
  }

  /** What one side measured over the window. */
  record Side(long beats, long cpuNanos, long wallNanos, long peakThreads) {
    double cpuPerBeatMicros() {
      return beats == 0 ? Double.NaN : cpuNanos / 1e3 / beats;
    }
  }

  public static void main(String[] args) throws Exception {
    String kind = "postgres";
    List<String> rest = new ArrayList<>();
    for (String a : args) {
      if (a.startsWith("--store=")) {
        kind = a.substring("--store=".length());
      } else {
        rest.add(a);
      }
    }
    if (!kind.equals("postgres") && !kind.equals("redis")) {
      throw new IllegalArgumentException("--store must be postgres or redis, got '" + kind + "'");
    }
    int agents = rest.isEmpty() ? 10_000 : FleetRun.bounded("agents", rest.get(0), 1,
        MAX_AGENTS);
    int seconds = rest.size() < 2 ? 60 : FleetRun.bounded("seconds", rest.get(1), 10,
        MAX_SECONDS);
    Duration limit = limit(seconds);
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(limit.toMillis());
        System.err.println("grpc-load: the run took longer than its bound of " + limit
            + "; stopping");
        CHILDREN.forEach(Process::destroyForcibly);
        System.exit(4);
      } catch (InterruptedException e) {
        // finished in time
      }
    }, "grpc-load-limit");
    watchdog.setDaemon(true);
    watchdog.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> CHILDREN.forEach(Process::destroy)));
    run(kind, agents, seconds, limit);
    watchdog.interrupt();
  }

  /** The bound of the whole run: both children started, registration, both windows. */
  static Duration limit(int seconds) {
    Duration window = WARM_UP.plusSeconds(seconds).plus(GRACE).plusSeconds(30);
    return START_LIMIT.multipliedBy(2).plus(REGISTER_LIMIT).plus(window.multipliedBy(2))
        .plusMinutes(1);
  }

  private static void run(String kind, int agents, int seconds, Duration limit)
      throws Exception {
    OperatingSystemMXBean os =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Side server;
    Side client;
    GrpcLoad load;
    try (Child child = new Child("server", kind, agents, limit)) {
      int port = (int) child.await("ready", START_LIMIT);
      load = new GrpcLoad(port, agents);
      try (load) {
        load.start(REGISTER_LIMIT);
        Thread.sleep(WARM_UP.toMillis());
        long beats0 = child.mark();
        long cpu0 = child.cpuNanos();
        long client0 = os.getProcessCpuTime();
        long sent0 = load.sent.sum();
        long wall0 = System.nanoTime();
        load.measuring = true;
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        load.measuring = false;
        long wall = System.nanoTime() - wall0;
        server = new Side(child.mark() - beats0, child.cpuNanos() - cpu0, wall,
            child.peakThreads);
        client = new Side(load.sent.sum() - sent0, os.getProcessCpuTime() - client0, wall,
            ManagementFactory.getThreadMXBean().getPeakThreadCount());
        Thread.sleep(GRACE.toMillis()); // changes of the window's last beats still arriving
        load.stopSending();
      }
    }
    Side direct;
    try (Child child = new Child("direct", kind, agents, limit)) {
      child.await("ready", START_LIMIT);
      Thread.sleep(WARM_UP.toMillis());
      long beats0 = child.mark();
      long cpu0 = child.cpuNanos();
      long wall0 = System.nanoTime();
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      long wall = System.nanoTime() - wall0;
      direct = new Side(child.mark() - beats0, child.cpuNanos() - cpu0, wall, child.peakThreads);
    }
    GrpcLoadReport.print(System.out, kind, agents, seconds, server, direct, client, load);
  }

  private GrpcLoadRun() {}
}
