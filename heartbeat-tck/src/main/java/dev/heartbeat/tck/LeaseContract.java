package dev.heartbeat.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.Lease;
import dev.heartbeat.spi.HeartbeatStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The lease part of the contract: compare-and-set, expiry by the store clock, fencing tokens. */
public abstract class LeaseContract extends StoreContract {
  /** For subclasses: a store's test class extends it. */
  protected LeaseContract() {}

  private static final Duration TTL = Duration.ofSeconds(15);

  @Test
  void aFreeLeaseIsAcquired() {
    HeartbeatStore store = open();
    Lease lease = store.tryAcquire("leader", "a", TTL).orElseThrow();
    assertThat(lease.name()).isEqualTo("leader");
    assertThat(lease.holder()).isEqualTo("a");
    assertThat(lease.token()).isPositive();
    assertThat(lease.transitions()).isEqualTo(1);
    assertThat(lease.renewedAt()).isEqualTo(lease.acquiredAt());
    assertThat(Duration.between(lease.acquiredAt(), lease.expiresAt())).isEqualTo(TTL);
    assertThat(store.lease("leader")).contains(lease);
    assertThat(store.leases()).containsExactly(lease);
  }

  @Test
  void aHeldLeaseIsNotAcquiredByAnyone() {
    HeartbeatStore store = open();
    store.tryAcquire("leader", "a", TTL).orElseThrow();
    assertThat(store.tryAcquire("leader", "b", TTL)).isEmpty();
    assertThat(store.tryAcquire("leader", "a", TTL)).as("not re-entrant").isEmpty();
    time.advance(TTL.minusSeconds(1));
    assertThat(store.tryAcquire("leader", "b", TTL)).isEmpty();
  }

  @Test
  void anExpiredLeaseIsTakenWithAGreaterToken() {
    HeartbeatStore store = open();
    Lease first = store.tryAcquire("leader", "a", TTL).orElseThrow();
    time.advance(TTL);
    assertThat(store.lease("leader")).get().matches(l -> l.expiredAt(store.now()));
    Lease second = store.tryAcquire("leader", "b", TTL).orElseThrow();
    assertThat(second.holder()).isEqualTo("b");
    assertThat(second.token()).isGreaterThan(first.token());
    assertThat(second.transitions()).isEqualTo(first.transitions() + 1);
  }

  @Test
  void renewalExtendsFromTheStoreNow() {
    HeartbeatStore store = open();
    Lease lease = store.tryAcquire("leader", "a", TTL).orElseThrow();
    time.advance(Duration.ofSeconds(10));
    Lease renewed = store.renew("leader", "a", lease.token(), TTL).orElseThrow();
    assertThat(renewed.token()).isEqualTo(lease.token());
    assertThat(renewed.acquiredAt()).isEqualTo(lease.acquiredAt());
    assertThat(renewed.renewedAt()).isAfter(lease.renewedAt());
    assertThat(Duration.between(renewed.renewedAt(), renewed.expiresAt())).isEqualTo(TTL);
    assertThat(renewed.transitions()).isEqualTo(lease.transitions());
    time.advance(Duration.ofSeconds(10));
    assertThat(store.tryAcquire("leader", "b", TTL)).as("renewed lease still held").isEmpty();
  }

  @Test
  void renewWithAStaleTokenAnotherHolderOrAfterExpiryFails() {
    HeartbeatStore store = open();
    Lease lease = store.tryAcquire("leader", "a", TTL).orElseThrow();
    assertThat(store.renew("leader", "a", lease.token() + 1, TTL)).isEmpty();
    assertThat(store.renew("leader", "b", lease.token(), TTL)).isEmpty();
    assertThat(store.renew("other", "a", lease.token(), TTL)).isEmpty();
    time.advance(TTL);
    assertThat(store.renew("leader", "a", lease.token(), TTL)).as("expired").isEmpty();
    Lease taken = store.tryAcquire("leader", "b", TTL).orElseThrow();
    assertThat(store.renew("leader", "a", lease.token(), TTL)).isEmpty();
    assertThat(store.lease("leader")).contains(taken);
  }

  @Test
  void releaseNeedsHolderAndTokenAndFreesTheLease() {
    HeartbeatStore store = open();
    Lease lease = store.tryAcquire("leader", "a", TTL).orElseThrow();
    assertThat(store.release("leader", "b", lease.token())).isFalse();
    assertThat(store.release("leader", "a", lease.token() - 1)).isFalse();
    assertThat(store.lease("leader")).contains(lease);
    assertThat(store.release("leader", "a", lease.token())).isTrue();
    assertThat(store.release("leader", "a", lease.token())).as("only once").isFalse();
    assertThat(store.lease("leader")).isEmpty();
    Lease next = store.tryAcquire("leader", "b", TTL).orElseThrow();
    assertThat(next.token()).isGreaterThan(lease.token());
  }

  @Test
  void tokensStrictlyIncreaseAcrossAcquireExpiryAndRelease() {
    HeartbeatStore store = open();
    long last = 0;
    for (int i = 0; i < 6; i++) {
      Lease lease = store.tryAcquire("leader", "h" + i, TTL).orElseThrow();
      assertThat(lease.token()).isGreaterThan(last);
      last = lease.token();
      if (i % 2 == 0) {
        assertThat(store.release("leader", lease.holder(), lease.token())).isTrue();
      } else {
        time.advance(TTL.plusSeconds(1));
      }
    }
    Lease other = store.tryAcquire("other", "h", TTL).orElseThrow();
    assertThat(other.transitions()).isEqualTo(1);
  }

  @Test
  void leasesAreIndependentAndListedByName() {
    HeartbeatStore store = open();
    store.tryAcquire("b", "x", TTL).orElseThrow();
    store.tryAcquire("a", "y", TTL).orElseThrow();
    assertThat(store.tryAcquire("c", "x", TTL)).isPresent();
    assertThat(store.leases()).extracting(Lease::name).containsExactly("a", "b", "c");
  }

  @Test
  void badArgumentsNameTheParameter() {
    HeartbeatStore store = open();
    assertThatThrownBy(() -> store.tryAcquire(" ", "a", TTL))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> store.tryAcquire("x", "a", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
  }

  @Test
  void eightThreadsNeverHoldOneLeaseAtOnce() throws Exception {
    HeartbeatStore store = open();
    int threads = 8;
    int attempts = 40;
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger wins = new AtomicInteger();
    AtomicReference<String> overlap = new AtomicReference<>();
    List<Long> tokens = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String holder = "h" + t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < attempts; i++) {
            var lease = store.tryAcquire("contended", holder, Duration.ofMinutes(5));
            if (lease.isEmpty()) {
              continue;
            }
            if (inside.incrementAndGet() != 1) {
              overlap.set(holder + " entered while another held token " + tokens);
            }
            tokens.add(lease.get().token());
            wins.incrementAndGet();
            inside.decrementAndGet();
            if (!store.release("contended", holder, lease.get().token())) {
              overlap.set(holder + " could not release its own lease");
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(overlap.get()).isNull();
    assertThat(wins.get()).isPositive();
    assertThat(tokens).isSorted().doesNotHaveDuplicates();
  }
}
