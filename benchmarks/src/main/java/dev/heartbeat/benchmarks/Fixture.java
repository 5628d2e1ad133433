package dev.heartbeat.benchmarks;

import dev.heartbeat.Lease;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.LeaseRenewal;
import java.time.Duration;
import java.util.List;

/**
 * One store under test and its raw baseline: the cheapest write that does the same job on the
 * same resource (the same disk, the same connection pool, the same Redis client), measured in the
 * same run. Each fixture owns a fresh key prefix, table prefix or directory, and removes it in
 * {@link #close()}.
 */
interface Fixture extends AutoCloseable {
  /** The store kinds, as the benchmarks' {@code store} parameter spells them. */
  String KINDS = "memory, file, h2, postgres, mariadb, redis";

  HeartbeatStore store();

  /**
   * A raw renewal of {@code lease} (already acquired through the store): it must extend the
   * lease's expiry by {@code ttl} if holder and token still match, and return whether it did.
   */
  boolean rawRenew(Lease lease, Duration ttl) throws Exception;

  /**
   * Makes {@code size} leases named {@code prefix-0 ...} held by {@code holder} for {@code ttl},
   * for the batch benchmarks; not timed. By default each is acquired through the store, a few
   * threads at a time. The SQL and Redis fixtures write large sets directly in the store's own
   * layout (the same rows and hashes {@code tryAcquire} writes, token 1), since 100,000
   * acquisitions through the store take minutes on a small machine.
   */
  default List<LeaseRenewal> seed(String prefix, String holder, int size, Duration ttl)
      throws Exception {
    return BatchRenewBench.Leases.acquire(store(), prefix, holder, size, ttl);
  }

  /** Database or server clean-up: drops the tables or keys, deletes the directory. */
  @Override
  void close() throws Exception;

  /** Opens the fixture for one store kind. */
  static Fixture open(String kind, int poolSize) throws Exception {
    String tag = Names.tag();
    return switch (kind) {
      case "memory" -> new MemoryFixture();
      case "file" -> new FileFixture(tag);
      case "h2", "postgres", "mariadb" -> new JdbcFixture(kind, tag, poolSize);
      case "redis" -> new RedisFixture(tag);
      default -> throw new IllegalArgumentException("store must be one of " + KINDS
          + ", got '" + kind + "'");
    };
  }
}
