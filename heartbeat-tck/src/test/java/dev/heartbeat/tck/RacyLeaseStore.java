package dev.heartbeat.tck;

import dev.heartbeat.Lease;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.LeaseRenewal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A deliberately broken store for the kit's own tests: beats go to the store underneath, but
 * leases live in a concurrent map and {@link #tryAcquire} reads, then writes, with nothing
 * between them (and a short pause there to widen the race). One call at a time it behaves like a
 * correct store, tokens always growing, so the single-threaded model cannot tell; two concurrent
 * acquisitions of a free lease both win.
 */
final class RacyLeaseStore extends ForwardingStore {
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

  RacyLeaseStore(HeartbeatStore store) {
    super(store);
  }

  @Override
  public Optional<Lease> tryAcquire(String name, String holder, Duration ttl) {
    Instant now = now();
    Lease current = leases.get(name);
    if (current != null && !current.expiredAt(now)) {
      return Optional.empty();
    }
    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200)); // the race: read, then write
    long token = counters.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
    Lease lease = new Lease(name, holder, token, now, now, now.plus(ttl), token);
    leases.put(name, lease);
    return Optional.of(lease);
  }

  @Override
  public Optional<Lease> renew(String name, String holder, long token, Duration ttl) {
    Instant now = now();
    Lease current = leases.get(name);
    if (!heldBy(current, holder, token) || current.expiredAt(now)) {
      return Optional.empty();
    }
    Lease renewed = new Lease(name, holder, token, current.acquiredAt(), now, now.plus(ttl),
        current.transitions());
    leases.put(name, renewed);
    return Optional.of(renewed);
  }

  @Override
  public List<Optional<Lease>> renewAll(List<LeaseRenewal> renewals) {
    return renewals.stream().map(r -> renew(r.name(), r.holder(), r.token(), r.ttl())).toList();
  }

  @Override
  public boolean release(String name, String holder, long token) {
    return heldBy(leases.get(name), holder, token) && leases.remove(name) != null;
  }

  private static boolean heldBy(Lease lease, String holder, long token) {
    return lease != null && lease.holder().equals(holder) && lease.token() == token;
  }

  @Override
  public Optional<Lease> lease(String name) {
    return Optional.ofNullable(leases.get(name));
  }

  @Override
  public List<Lease> leases() {
    List<Lease> all = new ArrayList<>(leases.values());
    all.sort((a, b) -> a.name().compareTo(b.name()));
    return all;
  }
}
