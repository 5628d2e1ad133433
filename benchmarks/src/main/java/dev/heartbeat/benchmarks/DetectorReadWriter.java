package dev.heartbeat.benchmarks;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.jdbc.JdbcStore;
import dev.heartbeat.redis.RedisStore;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.HeartbeatStore;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The writer of {@link DetectorReadRun}, in a JVM of its own so that the reader's CPU is only the
 * detector's: registers {@code agents} agents in the given table or key prefix, prints
 * {@code ready}, then beats each every 5 s (a 25th of them every 200 ms, in {@code recordAll}s of
 * 1,000) until {@code seconds} have passed or its parent is gone.
 */
public final class DetectorReadWriter {
  private static final int TICKS = 25;
  private static final int CHUNK = 1000;

  public static void main(String[] args) throws Exception {
    String kind = args[0];
    String prefix = args[1];
    int agents = FleetRun.bounded("agents", args[2], 1, 200_000);
    int seconds = FleetRun.bounded("seconds", args[3], 10, 3600);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    RedisClient client = null;
    com.zaxxer.hikari.HikariDataSource pool = null;
    HeartbeatStore store;
    if (kind.equals("redis")) {
      client = RedisClient.create(RedisFixture.URI);
      store = RedisStore.builder(client).keyPrefix(prefix).maxLeaseTtl(Duration.ofMinutes(10))
          .build();
    } else {
      pool = JdbcFixture.pool(kind, prefix + "w", 4);
      store = JdbcStore.builder(pool).tablePrefix(prefix).build();
    }
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> registrations = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int first = t;
        registrations.add(threads.submit(() -> {
          for (int i = first; i < agents; i += 4) {
            store.register(beat(i, 1));
          }
        }));
      }
      for (Future<?> f : registrations) {
        f.get();
      }
      System.out.println("ready");
      System.out.flush();
      long seq = 1;
      long next = System.nanoTime();
      for (int tick = 0; System.nanoTime() - end < 0 && ProcessHandle.current().parent()
          .map(ProcessHandle::isAlive).orElse(false); tick++) {
        if (tick % TICKS == 0) {
          seq++;
        }
        List<Beat> due = new ArrayList<>(CHUNK);
        for (int i = tick % TICKS; i < agents; i += TICKS) {
          due.add(beat(i, seq));
          if (due.size() == CHUNK) {
            store.recordAll(due);
            due = new ArrayList<>(CHUNK);
          }
        }
        if (!due.isEmpty()) {
          store.recordAll(due);
        }
        next += TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS / TICKS);
        long wait = next - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      }
    } finally {
      threads.shutdownNow();
      store.close();
      if (client != null) {
        client.shutdown();
      }
      if (pool != null) {
        pool.close();
      }
    }
  }

  private static final long INTERVAL_MILLIS = DetectorReadRun.INTERVAL.toMillis();

  private static Beat beat(int i, long seq) {
    return new Beat(String.format(Locale.ROOT, "agent-%06d", i), "inc-1", seq, Optional.empty(),
        AgentStatus.IDLE, OptionalDouble.of(0.1), Optional.empty(), false,
        Optional.of(DetectorReadRun.INTERVAL));
  }

  private DetectorReadWriter() {}
}
