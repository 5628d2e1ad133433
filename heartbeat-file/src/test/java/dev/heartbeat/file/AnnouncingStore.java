package dev.heartbeat.file;

import dev.heartbeat.Lease;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.LeaseRenewal;
import dev.heartbeat.tck.ForwardingStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The real store, passed through, telling {@code onRenew} just before each renewal starts, so
 * that the multi-process test can kill a holder in the middle of its renewal write, and
 * {@code onAcquired} the token and duration (nanos) of each successful acquisition. Closing it
 * closes the store underneath.
 */
final class AnnouncingStore extends ForwardingStore {
  private final Consumer<Long> onRenew;
  private final BiConsumer<Long, Long> onAcquired;

  AnnouncingStore(HeartbeatStore store, Consumer<Long> onRenew, BiConsumer<Long, Long> onAcquired) {
    super(store);
    this.onRenew = onRenew;
    this.onAcquired = onAcquired;
  }

  @Override
  public Optional<Lease> renew(String name, String holder, long token, Duration ttl) {
    onRenew.accept(token);
    return store.renew(name, holder, token, ttl);
  }

  @Override
  public List<Optional<Lease>> renewAll(List<LeaseRenewal> renewals) {
    return renewals.stream().map(r -> renew(r.name(), r.holder(), r.token(), r.ttl())).toList();
  }

  @Override
  public Optional<Lease> tryAcquire(String name, String holder, Duration ttl) {
    long start = System.nanoTime();
    Optional<Lease> lease = store.tryAcquire(name, holder, ttl);
    lease.ifPresent(l -> onAcquired.accept(l.token(), System.nanoTime() - start));
    return lease;
  }

  @Override
  public void close() {
    store.close();
  }
}
