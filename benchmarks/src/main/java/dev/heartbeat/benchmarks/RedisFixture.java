package dev.heartbeat.benchmarks;

import dev.heartbeat.Lease;
import dev.heartbeat.redis.RedisStore;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.LeaseRenewal;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Redis store on a fresh key prefix, on one Lettuce {@link RedisClient}. Its baseline is a
 * raw Lettuce {@code EVALSHA} of an equivalent compare-and-set script ({@link #CAS}: server
 * {@code TIME}, {@code HMGET} holder, token and expiry, compare, {@code HSET} renewed and
 * expires, {@code PEXPIRE}) on a connection of the same client, so the same event loop.
 *
 * <p>A fresh prefix has no epoch marker, and the store would quarantine leases for its maximum
 * TTL (what it must do after a data loss). The prefix is random, so the fixture builds the store
 * with {@code freshPrefixWithoutQuarantine()}, which creates the marker at once.
 */
final class RedisFixture implements Fixture {
  /** The server: 127.0.0.1:6379 unless {@code -Dhb.redis.uri} names another (ManyLeasesRun). */
  static final String URI = System.getProperty("hb.redis.uri", "redis://127.0.0.1:6379");
  /** KEYS: lease. ARGV: holder, token, ttl (us), pexpire (ms). */
  static final String CAS = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      local f = redis.call('HMGET', KEYS[1], 'holder', 'token', 'expires')
      if f[1] ~= ARGV[1] or f[2] ~= ARGV[2] or not f[3] or now >= tonumber(f[3]) then return 0 end
      redis.call('HSET', KEYS[1], 'renewed', string.format('%d', now),
        'expires', string.format('%d', now + tonumber(ARGV[3])))
      redis.call('PEXPIRE', KEYS[1], ARGV[4])
      return 1
      """;

  private final String prefix;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> raw;
  private final RedisCommands<String, String> sync;
  private final String sha;
  private final RedisStore store;

  RedisFixture(String tag) {
    this.prefix = tag;
    this.client = RedisClient.create(URI);
    this.raw = client.connect();
    this.sync = raw.sync();
    this.sha = sync.scriptLoad(CAS);
    this.store = RedisStore.builder(client).keyPrefix(prefix)
        .maxLeaseTtl(Duration.ofMinutes(10)).freshPrefixWithoutQuarantine().build();
  }

  /** The key the store keeps {@code lease} in (its layout, {@code {prefix:lease:NAME}}). */
  String leaseKey(String name) {
    return "{" + prefix + ":lease:" + name + "}";
  }

  RedisClient client() {
    return client;
  }

  String prefix() {
    return prefix;
  }

  @Override
  public HeartbeatStore store() {
    return store;
  }

  @Override
  public boolean rawRenew(Lease lease, Duration ttl) {
    Long done = sync.evalsha(sha, ScriptOutputType.INTEGER, new String[] {leaseKey(lease.name())},
        lease.holder(), Long.toString(lease.token()), Long.toString(ttl.toNanos() / 1000),
        Long.toString(ttl.toMillis() + 3_600_000));
    return done != null && done == 1L;
  }

  @Override
  public List<LeaseRenewal> seed(String namePrefix, String holder, int size, Duration ttl)
      throws Exception {
    if (size < JdbcFixture.BULK) {
      return Fixture.super.seed(namePrefix, holder, size, ttl);
    }
    List<String> time = sync.time();
    long now = Long.parseLong(time.get(0)) * 1_000_000 + Long.parseLong(time.get(1));
    String at = Long.toString(now);
    String expires = Long.toString(now + ttl.toNanos() / 1000);
    var async = raw.async();
    List<RedisFuture<?>> pending = new ArrayList<>();
    List<LeaseRenewal> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      String name = namePrefix + "-" + i;
      pending.add(async.hset(leaseKey(name), Map.of("holder", holder, "token", "1",
          "acquired", at, "renewed", at, "expires", expires, "transitions", "1")));
      pending.add(async.hset(leaseKey(name) + ":fence", Map.of("token", "1", "transitions", "1")));
      pending.add(async.sadd(prefix + ":leases", name));
      out.add(new LeaseRenewal(name, holder, 1, ttl));
      if (pending.size() >= 3000 || i == size - 1) {
        for (RedisFuture<?> f : pending) {
          f.get(30, TimeUnit.SECONDS);
        }
        pending.clear();
      }
    }
    return out;
  }

  /** Deletes every key whose name contains {@code pattern} (SCAN + UNLINK). */
  static void deleteKeys(RedisCommands<String, String> sync, String pattern) {
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      var page = sync.scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000));
      List<String> keys = page.getKeys();
      if (!keys.isEmpty()) {
        sync.unlink(keys.toArray(String[]::new));
      }
      cursor = page;
    } while (!cursor.isFinished());
  }

  @Override
  public void close() {
    try {
      store.close();
      deleteKeys(sync, "*" + prefix + "*");
    } finally {
      raw.close();
      client.shutdown();
    }
  }
}
