package dev.heartbeat.tck;

import dev.heartbeat.Lease;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.LeaseRenewal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A small model of a database store for the kit's own tests: leases are rows, each write takes
 * the row's lock, calls the {@link CommitHold} and only then makes its value visible (commits).
 * Reads see committed rows only and take no lock. {@code lockedRead} false is the bug the
 * expiry-edge contract is for: the acquisition decides on its unlocked read and then writes
 * whatever the row holds by then; true is the fix, it reads the row again under its lock.
 */
final class RowLockedLeaseStore extends ForwardingStore {
  private final CommitHold hold;
  private final boolean lockedRead;
  private final Map<String, Lease> committed = new ConcurrentHashMap<>();
  private final Map<String, ReentrantLock> rows = new ConcurrentHashMap<>();
  private final AtomicLong tokens = new AtomicLong();

  RowLockedLeaseStore(HeartbeatStore store, CommitHold hold, boolean lockedRead) {
    super(store);
    this.hold = hold;
    this.lockedRead = lockedRead;
  }

  @Override
  public Optional<Lease> tryAcquire(String name, String holder, Duration ttl) {
    Instant now = now();
    if (held(committed.get(name), now)) {
      return Optional.empty();
    }
    ReentrantLock row = rows.computeIfAbsent(name, n -> new ReentrantLock());
    row.lock();
    try {
      if (lockedRead) {
        now = now();
        if (held(committed.get(name), now)) {
          return Optional.empty();
        }
      }
      long token = tokens.incrementAndGet();
      Lease lease = new Lease(name, holder, token, now, now, now.plus(ttl), token);
      hold.beforeCommit();
      committed.put(name, lease);
      return Optional.of(lease);
    } finally {
      row.unlock();
    }
  }

  private static boolean held(Lease lease, Instant now) {
    return lease != null && !lease.expiredAt(now);
  }

  @Override
  public Optional<Lease> renew(String name, String holder, long token, Duration ttl) {
    ReentrantLock row = rows.computeIfAbsent(name, n -> new ReentrantLock());
    row.lock();
    try {
      Instant now = now();
      Lease current = committed.get(name);
      if (!heldBy(current, holder, token) || current.expiredAt(now)) {
        return Optional.empty();
      }
      Lease renewed = new Lease(name, holder, token, current.acquiredAt(), now, now.plus(ttl),
          current.transitions());
      hold.beforeCommit();
      committed.put(name, renewed);
      return Optional.of(renewed);
    } finally {
      row.unlock();
    }
  }

  @Override
  public List<Optional<Lease>> renewAll(List<LeaseRenewal> renewals) {
    return renewals.stream().map(r -> renew(r.name(), r.holder(), r.token(), r.ttl())).toList();
  }

  @Override
  public boolean release(String name, String holder, long token) {
    ReentrantLock row = rows.computeIfAbsent(name, n -> new ReentrantLock());
    row.lock();
    try {
      return heldBy(committed.get(name), holder, token) && committed.remove(name) != null;
    } finally {
      row.unlock();
    }
  }

  private static boolean heldBy(Lease lease, String holder, long token) {
    return lease != null && lease.holder().equals(holder) && lease.token() == token;
  }

  @Override
  public Optional<Lease> lease(String name) {
    return Optional.ofNullable(committed.get(name));
  }

  @Override
  public List<Lease> leases() {
    List<Lease> all = new ArrayList<>(committed.values());
    all.sort(Comparator.comparing(Lease::name));
    return all;
  }
}
