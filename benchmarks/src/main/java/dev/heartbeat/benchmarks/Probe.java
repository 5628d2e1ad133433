package dev.heartbeat.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.heartbeat.Lease;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.provider.redis.spring.RedisLockProvider;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Shows what one renewal sends to the server, for the store and each peer: run it with
 * {@code redis-cli MONITOR} open in another terminal (every Redis operation is announced first
 * with an {@code ECHO probe:NAME}); JDBC calls that reach PostgreSQL are printed here, from a
 * logging proxy around the pool. Not a benchmark: {@code java -cp benchmarks.jar
 * dev.heartbeat.benchmarks.Probe}.
 */
public final class Probe {
  private static final Set<String> SERVER_CALLS = Set.of("execute", "executeQuery",
      "executeUpdate", "executeBatch", "commit", "rollback", "setAutoCommit");
  private static final PrintStream OUT = System.out;

  private Probe() {}

  public static void main(String[] args) throws Exception {
    Duration ttl = Duration.ofSeconds(60);
    try (RedisFixture redis = new RedisFixture(Names.tag());
        StatefulRedisConnection<String, String> echo = redis.client().connect()) {
      Lease lease = redis.store().tryAcquire("probe", "probe", ttl).orElseThrow();
      echo.sync().echo("probe:heartbeat-redis renew");
      redis.store().renew("probe", "probe", lease.token(), ttl).orElseThrow();
      echo.sync().echo("probe:raw lettuce evalsha");
      redis.rawRenew(lease, ttl);
      echo.sync().echo("probe:heartbeat-redis renewAll of 3");
      redis.store().renewAll(List.of(
          new dev.heartbeat.spi.LeaseRenewal("probe", "probe", lease.token(), ttl),
          new dev.heartbeat.spi.LeaseRenewal("probe", "probe", lease.token(), ttl),
          new dev.heartbeat.spi.LeaseRenewal("probe", "probe", lease.token(), ttl)));

      Config config = new Config();
      config.useSingleServer().setAddress(RedisFixture.URI).setConnectionMinimumIdleSize(1);
      RedissonClient redisson = Redisson.create(config);
      RLock lock = redisson.getLock(redis.prefix() + "-redisson");
      lock.lock(60, TimeUnit.SECONDS);
      echo.sync().echo("probe:redisson lock(60 s) on a held lock");
      lock.lock(60, TimeUnit.SECONDS);
      echo.sync().echo("probe:redisson done");
      lock.forceUnlock();
      redisson.shutdown();

      LettuceConnectionFactory factory =
          new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379));
      factory.afterPropertiesSet();
      factory.start();
      for (boolean safe : new boolean[] {false, true}) {
        var provider = new RedisLockProvider.Builder(factory).environment(redis.prefix())
            .keyPrefix("hbb-shedlock").safeUpdate(safe).build();
        SimpleLock simple = provider.lock(new LockConfiguration(Instant.now(), "probe-" + safe,
            ttl, Duration.ZERO)).orElseThrow();
        echo.sync().echo("probe:shedlock-redis extend, safeUpdate " + safe);
        simple = simple.extend(ttl, Duration.ZERO).orElseThrow();
        echo.sync().echo("probe:shedlock-redis done");
        simple.unlock();
      }
      factory.destroy();
    }

    String tag = Names.tag();
    try (JdbcFixture pg = new JdbcFixture("postgres", tag, 2)) {
      Lease lease = pg.store().tryAcquire("probe", "probe", ttl).orElseThrow();
      DataSource logged = logging(pg.pool());
      OUT.println("== heartbeat-jdbc renew (PostgreSQL):");
      dev.heartbeat.jdbc.JdbcStore store = dev.heartbeat.jdbc.JdbcStore.builder(logged)
          .tablePrefix(pg.prefix()).build();
      store.renew("probe", "probe", lease.token(), ttl).orElseThrow();
      try (Connection c = pg.pool().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE " + tag + "_shedlock (name VARCHAR(64) NOT NULL PRIMARY KEY,"
            + " lock_until TIMESTAMP NOT NULL, locked_at TIMESTAMP NOT NULL,"
            + " locked_by VARCHAR(255) NOT NULL)");
      }
      var provider = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
          .withJdbcTemplate(new JdbcTemplate(logged)).withTableName(tag + "_shedlock")
          .usingDbTime().build());
      SimpleLock simple = provider.lock(new LockConfiguration(Instant.now(), "probe", ttl,
          Duration.ZERO)).orElseThrow();
      OUT.println("== shedlock-postgres extend:");
      simple = simple.extend(ttl, Duration.ZERO).orElseThrow();
      OUT.println("== done");
      simple.unlock();
      pg.drop("shedlock");
    }
  }

  /** A DataSource whose connections print every call that reaches the server. */
  static DataSource logging(HikariDataSource pool) {
    return (DataSource) Proxy.newProxyInstance(Probe.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (p, m, a) -> {
          Object r = invoke(pool, m, a);
          return r instanceof Connection c ? wrap(c, Connection.class, null) : r;
        });
  }

  private static Object wrap(Object target, Class<?> type, String sql) {
    InvocationHandler h = (p, m, a) -> {
      String name = m.getName();
      if (SERVER_CALLS.contains(name)) {
        String what = a != null && a.length > 0 && a[0] instanceof String s ? s : sql;
        OUT.println("   " + name + (what == null ? "" : "  " + what)
            + (name.equals("setAutoCommit") ? "(" + a[0] + ")" : ""));
      }
      Object r = invoke(target, m, a);
      if (r instanceof PreparedStatement ps) {
        return wrap(ps, PreparedStatement.class, (String) a[0]);
      }
      if (r instanceof Statement s && !(r instanceof PreparedStatement)) {
        return wrap(s, Statement.class, null);
      }
      return r;
    };
    return Proxy.newProxyInstance(Probe.class.getClassLoader(), new Class<?>[] {type}, h);
  }

  private static Object invoke(Object target, java.lang.reflect.Method m, Object[] a)
      throws Throwable {
    try {
      return m.invoke(target, a);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
