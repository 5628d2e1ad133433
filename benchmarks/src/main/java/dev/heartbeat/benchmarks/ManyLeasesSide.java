package dev.heartbeat.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.Lease;
import dev.heartbeat.LeaseConfig;
import dev.heartbeat.Leadership;
import dev.heartbeat.LeadershipListener;
import dev.heartbeat.RevokeReason;
import io.lettuce.core.RedisURI;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.provider.redis.spring.RedisLockProvider;
import net.javacrumbs.shedlock.support.KeepAliveLockProvider;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One side of {@link ManyLeasesRun}, in a JVM of its own so that its CPU time is its own: holds
 * {@code leases} locks or leases at once, kept alive by the library's own background renewal, until
 * told to stop. Protocol on stdout: {@code READY <held> <acquire ms>} once all are held, then,
 * after {@code STOP} (or end of input) on stdin, {@code HELD <still held>}. Logs go to stderr.
 * The process exits by itself after {@code maxSeconds} whatever happens.
 *
 * <p>Arguments: {@code side leases tag maxSeconds}. Sides: {@code heartbeat-redis},
 * {@code heartbeat-postgres} ({@code elect()} campaigns with a 30 s TTL, renewed every 10 s in
 * batches by the engine), {@code redisson} ({@code RLock.lockAsync(ownerId)}: no lease time, so
 * the lock watchdog renews it, default {@code lockWatchdogTimeout} 30 s: every 10 s; Redisson
 * 3.52 sends those renewals {@code lockWatchdogBatchSize} = 100 locks to an {@code EVAL}),
 * {@code redisson-batch1} (the same with {@code lockWatchdogBatchSize(1)}: one renewal per lock,
 * as before Redisson batched them), {@code shedlock-redis} and {@code shedlock-postgres}
 * ({@code KeepAliveLockProvider} over the Spring Data Redis provider, or the JDBC template
 * provider with database time; {@code lockAtMostFor} 30 s, its minimum, so extended every 15 s,
 * on a scheduler of {@value #SHEDLOCK_THREADS} threads).
 */
public final class ManyLeasesSide {
  static final Duration TTL = Duration.ofSeconds(30);
  static final long OWNER_BASE = 1_000_000_000L;
  private static final int IN_FLIGHT = 256;
  /**
   * ShedLock's keep-alive extends each lock synchronously on its scheduler: one thread (as its
   * documentation shows) cannot extend 10,000 PostgreSQL locks every 15 s on a loaded machine.
   */
  static final int SHEDLOCK_THREADS = 4;

  /** What one side holds. */
  interface Held extends AutoCloseable {
    /** How many of the leases are still held (not timed). */
    int held() throws Exception;

    /** How many times a lease was lost so far (heartbeat: leaderships revoked; else 0). */
    default long lost() {
      return 0;
    }
  }

  private ManyLeasesSide() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      throw new IllegalArgumentException("usage: ManyLeasesSide side leases tag maxSeconds");
    }
    String side = args[0];
    int leases = Integer.parseInt(args[1]);
    String tag = args[2];
    int maxSeconds = Integer.parseInt(args[3]);
    Thread limit = Thread.ofPlatform().daemon().start(() -> {
      try {
        Thread.sleep(TimeUnit.SECONDS.toMillis(maxSeconds));
        System.err.println(side + ": gave up after " + maxSeconds + " s");
        Runtime.getRuntime().halt(3);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    long start = System.nanoTime();
    try (Held held = open(side, leases, tag)) {
      long acquireMs = (System.nanoTime() - start) / 1_000_000;
      System.out.println("READY " + held.held() + " " + acquireMs + " " + held.lost());
      System.out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8));
      String line;
      do {
        line = in.readLine();
      } while (line != null && !line.equals("STOP"));
      System.out.println("HELD " + held.held() + " " + held.lost());
      System.out.flush();
    }
    limit.interrupt();
    System.exit(0);
  }

  static Held open(String side, int leases, String tag) throws Exception {
    return switch (side) {
      case "heartbeat-redis" -> heartbeat(new RedisFixture(tag), leases, tag);
      case "heartbeat-postgres" -> heartbeat(new JdbcFixture("postgres", tag, 8), leases, tag);
      case "redisson" -> redisson(leases, tag, 0);
      case "redisson-batch1" -> redisson(leases, tag, 1);
      case "shedlock-redis" -> shedlockRedis(leases, tag);
      case "shedlock-postgres" -> shedlockPostgres(leases, tag);
      default -> throw new IllegalArgumentException("side must be heartbeat-redis,"
          + " heartbeat-postgres, redisson, redisson-batch1, shedlock-redis or shedlock-postgres,"
          + " got '" + side + "'");
    };
  }

  private static Held heartbeat(Fixture fixture, int leases, String tag) throws Exception {
    AtomicLong revoked = new AtomicLong();
    LeadershipListener counting = new LeadershipListener() {
      @Override
      public void elected(Lease lease) {}

      @Override
      public void revoked(Lease lease, RevokeReason reason) {
        revoked.incrementAndGet();
      }
    };
    Heartbeats hb = Heartbeats.using(fixture.store());
    LeaseConfig config = LeaseConfig.ofTtl(TTL);
    List<Leadership> campaigns = new ArrayList<>(leases);
    for (int i = 0; i < leases; i++) {
      campaigns.add(hb.leases().elect(tag + "-lease-" + i, config, counting));
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (leading(campaigns) < leases) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + leading(campaigns) + " of " + leases
            + " campaigns led after 5 minutes");
      }
      Thread.sleep(200);
    }
    return new Held() {
      @Override
      public int held() {
        return leading(campaigns);
      }

      @Override
      public long lost() {
        return revoked.get();
      }

      @Override
      public void close() throws Exception {
        try {
          hb.close();
        } finally {
          fixture.close();
        }
      }
    };
  }

  private static int leading(List<Leadership> campaigns) {
    return (int) campaigns.stream().filter(Leadership::isLeader).count();
  }

  private static Held redisson(int leases, String tag, int batchSize) throws Exception {
    Config config = new Config();
    config.useSingleServer().setAddress(RedisFixture.URI)
        .setConnectionMinimumIdleSize(8).setConnectionPoolSize(16);
    if (batchSize > 0) {
      config.setLockWatchdogBatchSize(batchSize);
    }
    RedissonClient redisson = Redisson.create(config);
    List<RLock> locks = new ArrayList<>(leases);
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    for (int i = 0; i < leases; i++) {
      RLock lock = redisson.getLock(tag + "-lock-" + i);
      locks.add(lock);
      if (!inFlight.tryAcquire(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("Redisson: no lock acquired in 60 s");
      }
      // an owner id of its own per lock: lockAsync(threadId) without a lease time starts the
      // watchdog for that owner, so 10,000 locks are held at once without 10,000 threads
      lock.lockAsync(OWNER_BASE + i).whenComplete((v, e) -> {
        if (e != null) {
          failed.compareAndSet(null, e);
        }
        inFlight.release();
      });
    }
    if (!inFlight.tryAcquire(IN_FLIGHT, 60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("Redisson: locks still pending after 60 s");
    }
    if (failed.get() != null) {
      throw new IllegalStateException("Redisson: a lock failed", failed.get());
    }
    return new Held() {
      @Override
      public int held() {
        int n = 0;
        for (int i = 0; i < locks.size(); i++) {
          n += locks.get(i).isHeldByThread(OWNER_BASE + i) ? 1 : 0;
        }
        return n;
      }

      @Override
      public void close() {
        try {
          redisson.getKeys().deleteByPattern("*" + tag + "*");
        } finally {
          redisson.shutdown();
        }
      }
    };
  }

  private static List<Object> lockAll(LockProvider keepAlive, int leases, String tag) {
    List<Object> locks = new ArrayList<>(leases);
    for (int i = 0; i < leases; i++) {
      String name = tag + "-lock-" + i;
      locks.add(keepAlive.lock(new LockConfiguration(Instant.now(), name, TTL, Duration.ZERO))
          .orElseThrow(() -> new IllegalStateException("ShedLock would not lock " + name)));
    }
    return locks;
  }

  private static Held shedlockRedis(int leases, String tag) {
    RedisURI uri = RedisURI.create(RedisFixture.URI);
    LettuceConnectionFactory factory = new LettuceConnectionFactory(
        new RedisStandaloneConfiguration(uri.getHost(), uri.getPort()));
    factory.afterPropertiesSet();
    factory.start();
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(SHEDLOCK_THREADS);
    LockProvider keepAlive = new KeepAliveLockProvider(new RedisLockProvider.Builder(factory)
        .environment(tag).keyPrefix("hbb-shedlock").build(), scheduler);
    List<Object> locks = lockAll(keepAlive, leases, tag);
    byte[] pattern = ("*" + tag + "*").getBytes(StandardCharsets.UTF_8);
    return new Held() {
      @Override
      public int held() {
        // a key that was not extended has expired (SET ... PX): the keys left are the held locks
        try (RedisConnection c = factory.getConnection()) {
          return Math.min(locks.size(), c.keyCommands().keys(pattern).size());
        }
      }

      @Override
      public void close() {
        scheduler.shutdownNow();
        try (RedisConnection c = factory.getConnection()) {
          for (byte[] key : c.keyCommands().keys(pattern)) {
            c.keyCommands().del(key);
          }
        } finally {
          factory.destroy();
        }
      }
    };
  }

  private static Held shedlockPostgres(int leases, String tag) throws Exception {
    HikariDataSource pool = JdbcFixture.pool("postgres", tag, 8);
    String table = tag + "_shedlock";
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + table + " (name VARCHAR(64) NOT NULL PRIMARY KEY,"
          + " lock_until TIMESTAMP NOT NULL, locked_at TIMESTAMP NOT NULL,"
          + " locked_by VARCHAR(255) NOT NULL)");
    }
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(SHEDLOCK_THREADS);
    LockProvider keepAlive = new KeepAliveLockProvider(new JdbcTemplateLockProvider(
        JdbcTemplateLockProvider.Configuration.builder().withJdbcTemplate(new JdbcTemplate(pool))
            .withTableName(table).usingDbTime().build()), scheduler);
    List<Object> locks = lockAll(keepAlive, leases, tag);
    return new Held() {
      @Override
      public int held() throws Exception {
        // usingDbTime writes lock_until in UTC from the database clock
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table
                + " WHERE lock_until > timezone('utc', CURRENT_TIMESTAMP)")) {
          rs.next();
          return Math.min(locks.size(), rs.getInt(1));
        }
      }

      @Override
      public void close() throws Exception {
        scheduler.shutdownNow();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
          s.execute("DROP TABLE IF EXISTS " + table);
        } finally {
          pool.close();
        }
      }
    };
  }
}
