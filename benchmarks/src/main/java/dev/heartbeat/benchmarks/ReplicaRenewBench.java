package dev.heartbeat.benchmarks;

import dev.heartbeat.Lease;
import dev.heartbeat.redis.RedisStore;
import dev.heartbeat.redis.RedisStoreBuilder;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Renewal of one held lease on the Redis store with a replica attached, 1 thread: without
 * {@code waitForReplicas} ({@code replicas=0}, the baseline) and with
 * {@code waitForReplicas(1, 1 s)} ({@code replicas=1}: the script and {@code WAIT 1 1000} in one
 * round trip, answered once the replica acknowledged). Each trial starts its own non-persistent
 * primary and replica ({@code redis-server} on free loopback ports, in a temporary directory) and
 * removes them at its end; the shared Redis on 6379 has no replica.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReplicaRenewBench {
  static final Duration TTL = Duration.ofSeconds(60);

  /** A primary, its replica, and a store on the primary that waits for 0 or 1 replicas. */
  @State(Scope.Benchmark)
  public static class Pair {
    @Param({"0", "1"})
    public int replicas;
    final List<Process> servers = new ArrayList<>();
    Path dir;
    RedisStore store;
    Lease lease;

    @Setup(Level.Trial)
    public void open() throws Exception {
      dir = Files.createTempDirectory("hbb-replica-");
      int primary = freePort();
      int replica = freePort();
      start(primary, "--repl-diskless-sync-delay", "0");
      start(replica, "--replicaof", "127.0.0.1", Integer.toString(primary));
      String tag = Names.tag();
      RedisClient raw = RedisClient.create("redis://127.0.0.1:" + replica);
      try (StatefulRedisConnection<String, String> conn = raw.connect()) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!conn.sync().info("replication").contains("master_link_status:up")) {
          if (System.nanoTime() - deadline > 0) {
            throw new IllegalStateException("the replica on " + replica + " did not link up");
          }
          Thread.sleep(20);
        }
      } finally {
        raw.shutdown();
      }
      RedisStoreBuilder builder = RedisStore.builder("redis://127.0.0.1:" + primary)
          .keyPrefix(tag).maxLeaseTtl(Duration.ofMinutes(10)).freshPrefixWithoutQuarantine();
      store = (replicas == 0 ? builder : builder.waitForReplicas(replicas, Duration.ofSeconds(1)))
          .build();
      lease = store.tryAcquire("renew", "bench", TTL)
          .orElseThrow(() -> new IllegalStateException("could not acquire the lease"));
    }

    private void start(int port, String... extra) throws Exception {
      List<String> command = new ArrayList<>(List.of("redis-server", "--port",
          Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
          "--dir", dir.toString()));
      command.addAll(List.of(extra));
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve(port + ".log").toFile()).start();
      servers.add(p);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!Files.exists(dir.resolve(port + ".log"))
          || !Files.readString(dir.resolve(port + ".log")).contains("Ready to accept connections")) {
        if (!p.isAlive() || System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("redis-server on port " + port + " did not start");
        }
        Thread.sleep(20);
      }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      try {
        if (store != null) {
          store.close();
        }
      } finally {
        for (Process p : servers) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dir)) {
          files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
    }

    private static int freePort() throws IOException {
      try (ServerSocket socket = new ServerSocket(0, 1,
          java.net.InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      }
    }
  }

  @Benchmark
  @Threads(1)
  public Lease renew1(Pair p) {
    return p.store.renew(p.lease.name(), p.lease.holder(), p.lease.token(), TTL)
        .orElseThrow(() -> new IllegalStateException("lease lost: " + p.lease.name()));
  }
}
