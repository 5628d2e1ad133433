package dev.heartbeat.benchmarks;

import dev.heartbeat.Lease;
import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.spi.HeartbeatStore;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory store. Its baseline is the least a thread-safe in-memory renewal can do: one
 * {@link ConcurrentHashMap#computeIfPresent} that compares holder and token against the clock and
 * swaps in a new immutable record.
 */
final class MemoryFixture implements Fixture {
  private final MemoryStore store = new MemoryStore();
  private final ConcurrentHashMap<String, Lease> raw = new ConcurrentHashMap<>();

  @Override
  public HeartbeatStore store() {
    return store;
  }

  @Override
  public boolean rawRenew(Lease lease, Duration ttl) {
    raw.putIfAbsent(lease.name(), lease);
    Instant now = Instant.now();
    Lease after = raw.computeIfPresent(lease.name(), (k, cur) ->
        cur.holder().equals(lease.holder()) && cur.token() == lease.token()
            && cur.expiresAt().isAfter(now)
            ? new Lease(k, cur.holder(), cur.token(), cur.acquiredAt(), now, now.plus(ttl),
                cur.transitions())
            : cur);
    return after != null && after.renewedAt() == now;
  }

  @Override
  public void close() {
    store.close();
    raw.clear();
  }
}
