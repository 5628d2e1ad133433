package dev.heartbeat.micrometer;

import dev.heartbeat.Lease;
import dev.heartbeat.LeaseManager;
import dev.heartbeat.LeaseWatch;
import io.micrometer.core.instrument.Tags;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@code heartbeat.lease.transitions{lease, to=acquired|free}} and {@code heartbeat.lease.token}
 * of one lease as the store holds it, whoever holds it, from a {@link LeaseManager#watch}. The
 * watch's first answer is the starting point, not a transition; a change that comes and goes
 * between two of its reads is not seen.
 */
final class LeaseWatchMeters implements Consumer<Optional<Lease>> {
  private final String name;
  private final AtomicLong acquired = new AtomicLong();
  private final AtomicLong freed = new AtomicLong();
  private volatile long token;
  private volatile boolean answered;
  private boolean first = true; // these two only on the watch's thread, which tells in order
  private Lease last;
  private LeaseWatch watch;

  LeaseWatchMeters(String name) {
    this.name = name;
  }

  String name() {
    return name;
  }

  void bind(Meters m, LeaseManager leases) {
    Tags tags = Tags.of("lease", name);
    m.counter("heartbeat.lease.transitions", "changes of hands of the lease, as the store holds "
        + "it: to a new holder or token, or to nobody", tags.and("to", "acquired"), acquired,
        AtomicLong::get);
    m.counter("heartbeat.lease.transitions", "changes of hands of the lease, as the store holds "
        + "it: to a new holder or token, or to nobody", tags.and("to", "free"), freed,
        AtomicLong::get);
    m.gauge("heartbeat.lease.token", "the fencing token of the lease as last seen, 0 when free",
        null, tags, this, w -> w.token);
    watch = leases.watch(name, this);
  }

  @Override
  public void accept(Optional<Lease> now) {
    Lease lease = now.orElse(null);
    if (!first) {
      if (lease == null && last != null) {
        freed.incrementAndGet();
      } else if (lease != null && (last == null || lease.token() != last.token()
          || !lease.holder().equals(last.holder()))) {
        acquired.incrementAndGet();
      }
    }
    first = false;
    last = lease;
    token = lease == null ? 0 : lease.token();
    answered = true;
  }

  /** Whether the watch's first answer came (for tests). */
  boolean answered() {
    return answered;
  }

  void close() {
    if (watch != null) {
      watch.close();
    }
  }
}
