package dev.heartbeat.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Issue 21's peers keeping many leases alive: on one server, one side after the other in one run,
 * each side a JVM of its own ({@link ManyLeasesSide}) holding {@code leases} (10,000 by default)
 * at once with its library's background renewal: heartbeat {@code elect()} campaigns (renewed in
 * batches by the engine), Redisson's lock watchdog (its default batching, and one lock a renewal),
 * ShedLock's {@code KeepAliveLockProvider}; on PostgreSQL heartbeat against ShedLock's JDBC
 * provider. Once a side holds them all and one renewal period has passed, it measures for
 * {@code seconds} (60 by default): the side's process CPU ({@code ProcessHandle} total CPU time)
 * and the server's (Redis {@code INFO}; PostgreSQL {@code /proc} of the side's own backends and
 * of all postgres processes), per lease per minute, and the ratios of each peer to heartbeat
 * (goal: 10x). An idle reading of the server first tells what it costs with none of the sides.
 * Not JMH: {@code benchmarks/run.sh many-leases [--store=redis|postgres] [--redis=private|shared]
 * [leases] [seconds]}; without {@code --store}, both. Redis runs on a {@link PrivateRedis} of its
 * own unless {@code --redis=shared} (the server on 6379, which other work may load). Bounded: each step has a deadline, the children exit by
 * themselves, and the whole run gives up after {@link #limitMinutes}.
 */
public final class ManyLeasesRun {
  static final int MAX_LEASES = 100_000;
  static final int MAX_SECONDS = 600;
  static final Duration SETTLE = Duration.ofSeconds(15);
  private static final long READY_LIMIT_SECONDS = 360;
  private static final long STOP_LIMIT_SECONDS = 120;

  /** One side's figures. */
  record Result(String side, int held, int stillHeld, long lost, long acquireMs, long clientNanos,
      long serverNanos, long ownServerNanos, long commands, long wallNanos) {}

  private ManyLeasesRun() {}

  public static void main(String[] args) throws Exception {
    List<String> stores = List.of("redis", "postgres");
    List<String> rest = new ArrayList<>();
    boolean privateRedis = true;
    for (String a : args) {
      if (a.equals("--redis=shared")) {
        privateRedis = false;
      } else if (a.equals("--redis=private")) {
        privateRedis = true;
      } else if (a.startsWith("--redis=")) {
        throw new IllegalArgumentException("--redis must be private or shared, got '"
            + a.substring("--redis=".length()) + "'");
      } else if (a.startsWith("--store=")) {
        String kind = a.substring("--store=".length());
        if (!kind.equals("redis") && !kind.equals("postgres")) {
          throw new IllegalArgumentException("--store must be redis or postgres, got '" + kind
              + "'");
        }
        stores = List.of(kind);
      } else {
        rest.add(a);
      }
    }
    int leases = rest.isEmpty() ? 10_000 : bounded("leases", rest.get(0), 1, MAX_LEASES);
    int seconds = rest.size() < 2 ? 60 : bounded("seconds", rest.get(1), 10, MAX_SECONDS);
    int sides = stores.size() == 2 ? 7 : stores.contains("redis") ? 4 : 2;
    long limit = limitMinutes(sides, seconds);
    Thread.ofPlatform().daemon().start(() -> {
      try {
        Thread.sleep(TimeUnit.MINUTES.toMillis(limit));
        System.err.println("many-leases: gave up after " + limit + " minutes");
        Runtime.getRuntime().halt(3);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    ManyLeasesReport report = new ManyLeasesReport(leases, seconds);
    for (String kind : stores) {
      List<String> names = kind.equals("redis")
          ? List.of("heartbeat-redis", "redisson", "redisson-batch1", "shedlock-redis")
          : List.of("heartbeat-postgres", "shedlock-postgres");
      PrivateRedis own = kind.equals("redis") && privateRedis ? PrivateRedis.start() : null;
      String uri = own != null ? own.uri() : RedisFixture.URI;
      try (ServerCpu server = ServerCpu.open(kind, uri)) {
        Result idle = idle(server, Math.min(seconds, 20));
        List<Result> results = new ArrayList<>();
        for (String side : names) {
          results.add(side(server, side, leases, seconds, uri));
        }
        report.add(kind, own != null ? "a redis-server of this run's own (" + uri + ")"
            : kind.equals("redis") ? "the shared server, " + uri : JdbcFixture.POSTGRES_URL,
            idle, results);
      } finally {
        if (own != null) {
          own.close();
        }
      }
    }
    report.print(System.out);
  }

  /** The whole run's bound: every side's deadlines, plus the idle readings. */
  static long limitMinutes(int sides, int seconds) {
    long perSide = READY_LIMIT_SECONDS + SETTLE.toSeconds() + seconds + STOP_LIMIT_SECONDS;
    return (sides * perSide + 2 * 20 + 59) / 60 + 1;
  }

  private static int bounded(String name, String value, int min, int max) {
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, got '" + value + "'");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", got " + n);
    }
    return n;
  }

  private static Result idle(ServerCpu server, int seconds) throws Exception {
    ServerCpu.Sample s0 = server.sample(null);
    long w0 = System.nanoTime();
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    ServerCpu.Sample s1 = server.sample(null);
    return new Result("idle", 0, 0, 0, 0, 0, s1.nanos() - s0.nanos(), 0,
        s1.commands() - s0.commands(), System.nanoTime() - w0);
  }

  private static Result side(ServerCpu server, String side, int leases, int seconds,
      String redisUri) throws Exception {
    String tag = Names.tag();
    long maxSeconds = READY_LIMIT_SECONDS + SETTLE.toSeconds() + seconds + STOP_LIMIT_SECONDS;
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-Xmx1g",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dhb.redis.uri=" + redisUri,
        "-cp", System.getProperty("java.class.path"), ManyLeasesSide.class.getName(), side,
        Integer.toString(leases), tag, Long.toString(maxSeconds))
        .redirectError(Redirect.INHERIT).start();
    try {
      BlockingQueue<String> lines = new ArrayBlockingQueue<>(100);
      Thread.ofPlatform().daemon().start(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (line.startsWith("READY ") || line.startsWith("HELD ")) {
              lines.offer(line);
            }
          }
        } catch (Exception e) {
          // the child ended; the wait below times out or sees its exit
        }
      });
      String[] ready = await(lines, child, "READY", READY_LIMIT_SECONDS, side);
      System.err.printf("many-leases: %s holds %s of %d in %s ms%n", side, ready[1], leases,
          ready[2]);
      Thread.sleep(SETTLE.toMillis()); // every lease renewed once at least before measuring
      ServerCpu.Sample s0 = server.sample(tag);
      long c0 = cpu(child);
      long w0 = System.nanoTime();
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      ServerCpu.Sample s1 = server.sample(tag);
      long c1 = cpu(child);
      long wall = System.nanoTime() - w0;
      try (OutputStream out = child.getOutputStream()) {
        out.write("STOP\n".getBytes(StandardCharsets.UTF_8));
      }
      String[] held = await(lines, child, "HELD", STOP_LIMIT_SECONDS, side);
      if (!child.waitFor(STOP_LIMIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException(side + " did not exit in " + STOP_LIMIT_SECONDS + " s");
      }
      return new Result(side, Integer.parseInt(ready[1]), Integer.parseInt(held[1]),
          Long.parseLong(held[2]) - Long.parseLong(ready[3]), Long.parseLong(ready[2]), c1 - c0, s1.nanos() - s0.nanos(),
          s1.ownNanos() - s0.ownNanos(), s1.commands() - s0.commands(), wall);
    } finally {
      child.destroyForcibly();
    }
  }

  private static String[] await(BlockingQueue<String> lines, Process child, String word,
      long limitSeconds, String side) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(limitSeconds);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null && line.startsWith(word + " ")) {
        return line.split(" ");
      }
      if (line == null && !child.isAlive() && lines.isEmpty()) {
        throw new IllegalStateException(side + " exited with " + child.exitValue()
            + " before " + word + " (see its stderr above)");
      }
    }
    throw new IllegalStateException(side + " said no " + word + " in " + limitSeconds + " s");
  }

  private static long cpu(Process child) {
    return child.toHandle().info().totalCpuDuration()
        .orElseThrow(() -> new IllegalStateException("no CPU time for pid " + child.pid()))
        .toNanos();
  }
}
