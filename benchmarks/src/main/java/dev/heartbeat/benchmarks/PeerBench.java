package dev.heartbeat.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.provider.redis.spring.RedisLockProvider;
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
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;

/**
 * Peers renewing one held lock on the same servers, in the same run as {@link RenewBench}, from
 * 1 and 8 threads (each thread its own lock). What one call does, as {@link Probe} shows it
 * ({@code redis-cli MONITOR} on Redis, a logging JDBC proxy on PostgreSQL):
 * <ul>
 *   <li>{@code redisson}: {@code RLock.lock(60 s)} on a lock the thread holds (its renewal): one
 *       round trip, one {@code EVALSHA} of Redisson's re-entrant lock script ({@code EXISTS},
 *       {@code HEXISTS}, {@code HINCRBY} of the hold count, {@code PEXPIRE}).</li>
 *   <li>{@code shedlock-redis}: {@code SimpleLock.extend(60 s, 0)} of ShedLock's Spring Data
 *       Redis provider with its defaults: one round trip, {@code SET key value XX PX ms}; it
 *       does not check who holds the key.</li>
 *   <li>{@code shedlock-redis-safe}: the same with {@code safeUpdate(true)}: one round trip, one
 *       {@code EVALSHA} of a script that compares the value ({@code GET}) before
 *       {@code PEXPIRE}.</li>
 *   <li>{@code shedlock-postgres}: {@code SimpleLock.extend} of the JDBC template provider with
 *       database time: one transaction on a pooled connection, through Spring's transaction
 *       template: {@code setAutoCommit(false)}, {@code UPDATE shedlock SET lock_until = now +
 *       interval WHERE name = ? AND locked_by = ? AND lock_until > now}, {@code COMMIT},
 *       {@code setAutoCommit(true)}: two round trips.</li>
 *   <li>{@code jedis-evalsha}: the Redis baseline on the other client: Jedis {@code EVALSHA} of
 *       {@link RedisFixture#CAS} on a pooled connection; one round trip.</li>
 * </ul>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PeerBench {
  static final Duration TTL = Duration.ofSeconds(60);

  /** One peer on its server. */
  @State(Scope.Benchmark)
  public static class Peers {
    @Param({"redisson", "shedlock-redis", "shedlock-redis-safe", "shedlock-postgres",
        "jedis-evalsha"})
    public String peer;
    final String tag = Names.tag();
    final AtomicInteger threads = new AtomicInteger();
    RedissonClient redisson;
    LettuceConnectionFactory factory;
    HikariDataSource pool;
    LockProvider shedlock;
    JedisPool jedis;
    String sha;

    @Setup(Level.Trial)
    public void open() throws Exception {
      switch (peer) {
        case "redisson" -> {
          Config config = new Config();
          config.useSingleServer().setAddress(RedisFixture.URI)
              .setConnectionMinimumIdleSize(8).setConnectionPoolSize(16);
          redisson = Redisson.create(config);
        }
        case "shedlock-redis", "shedlock-redis-safe" -> {
          factory = new LettuceConnectionFactory(
              new RedisStandaloneConfiguration("127.0.0.1", 6379));
          factory.afterPropertiesSet();
          factory.start();
          shedlock = new RedisLockProvider.Builder(factory).environment(tag)
              .keyPrefix("hbb-shedlock").safeUpdate(peer.endsWith("safe")).build();
        }
        case "shedlock-postgres" -> {
          pool = JdbcFixture.pool("postgres", tag, 8);
          try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + tag + "_shedlock (name VARCHAR(64) NOT NULL PRIMARY KEY,"
                + " lock_until TIMESTAMP NOT NULL, locked_at TIMESTAMP NOT NULL,"
                + " locked_by VARCHAR(255) NOT NULL)");
          }
          shedlock = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
              .withJdbcTemplate(new JdbcTemplate(pool)).withTableName(tag + "_shedlock")
              .usingDbTime().build());
        }
        case "jedis-evalsha" -> {
          JedisPoolConfig config = new JedisPoolConfig();
          config.setMaxTotal(8);
          config.setMinIdle(8);
          jedis = new JedisPool(config, "127.0.0.1", 6379);
          try (Jedis j = jedis.getResource()) {
            sha = j.scriptLoad(RedisFixture.CAS);
          }
        }
        default -> throw new IllegalArgumentException("unknown peer: " + peer);
      }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      if (redisson != null) {
        redisson.getKeys().deleteByPattern("*" + tag + "*");
        redisson.shutdown();
      }
      if (factory != null) {
        try (var c = factory.getConnection()) {
          for (byte[] key : c.keyCommands().keys(("*" + tag + "*").getBytes())) {
            c.keyCommands().del(key);
          }
        }
        factory.destroy();
      }
      if (pool != null) {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
          s.execute("DROP TABLE IF EXISTS " + tag + "_shedlock");
        }
        pool.close();
      }
      if (jedis != null) {
        try (Jedis j = jedis.getResource()) {
          for (String key : j.keys("*" + tag + "*")) {
            j.del(key);
          }
        }
        jedis.close();
      }
    }
  }

  /** The lock one benchmark thread holds (deleted with the peer's keys or table). */
  @State(Scope.Thread)
  public static class Held {
    String name;
    RLock rlock;
    SimpleLock simple;
    String key;

    @Setup(Level.Trial)
    public void acquire(Peers p) {
      name = p.tag + "-lock-" + p.threads.incrementAndGet();
      if (p.redisson != null) {
        rlock = p.redisson.getLock(name);
        rlock.lock(TTL.toSeconds(), TimeUnit.SECONDS);
      } else if (p.shedlock != null) {
        simple = p.shedlock.lock(new LockConfiguration(Instant.now(), name, TTL, Duration.ZERO))
            .orElseThrow(() -> new IllegalStateException("ShedLock would not lock " + name));
      } else {
        key = "{" + p.tag + ":lease:" + name + "}";
        try (Jedis j = p.jedis.getResource()) {
          j.hset(key, Map.of("holder", "bench", "token", "1",
              "expires", Long.toString(Long.MAX_VALUE / 4)));
        }
      }
    }
  }

  static Object renew(Peers p, Held h) {
    if (h.rlock != null) {
      h.rlock.lock(TTL.toSeconds(), TimeUnit.SECONDS);
      return h.rlock;
    }
    if (h.simple != null) {
      h.simple = h.simple.extend(TTL, Duration.ZERO)
          .orElseThrow(() -> new IllegalStateException("ShedLock lost " + h.name));
      return h.simple;
    }
    try (Jedis j = p.jedis.getResource()) {
      Object done = j.evalsha(p.sha, 1, h.key, "bench", "1",
          Long.toString(TTL.toNanos() / 1000), Long.toString(TTL.toMillis() + 3_600_000));
      if (!Long.valueOf(1).equals(done)) {
        throw new IllegalStateException("raw Jedis renewal failed: " + h.key);
      }
      return done;
    }
  }

  @Benchmark
  @Threads(1)
  public Object peer1(Peers p, Held h) {
    return renew(p, h);
  }

  @Benchmark
  @Threads(8)
  public Object peer8(Peers p, Held h) {
    return renew(p, h);
  }
}
