package dev.heartbeat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.Lease;
import dev.heartbeat.LeaseConfig;
import dev.heartbeat.Leadership;
import dev.heartbeat.LeadershipListener;
import dev.heartbeat.RevokeReason;
import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.FaultyStore;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's fencing promise, shown: a leader frozen between its check and its write resumes
 * after another leader was granted the lease. Its stale write is refused only if the new leader
 * published its token downstream before acting.
 */
class FencedRegisterTest {
  private static final LeaseConfig LEASE = LeaseConfig.ofTtl(Duration.ofSeconds(15));
  private final ManualTime time = new ManualTime();
  private final MemoryStore store = new MemoryStore(time, 100);
  private final FaultyStore linkOfA = new FaultyStore(store);
  private final Heartbeats a = engine("a", linkOfA);
  private final Heartbeats b = engine("b", store);

  private Heartbeats engine(String id, dev.heartbeat.spi.HeartbeatStore link) {
    return Heartbeats.builder().store(link).time(time).holderId(id).leaseDefaults(LEASE)
        .closeTimeout(Duration.ofSeconds(2)).build();
  }

  @AfterEach
  void close() {
    linkOfA.heal();
    b.close();
    a.close();
  }

  /** Leader a checks isLeader(), then freezes before its write; b is granted the lease. */
  private long frozenLeaderResumesAfterTheNextGrant(boolean newLeaderFencesFirst,
      FencedRegister register) {
    AtomicReference<Lease> leaseOfA = new AtomicReference<>();
    Leadership first = a.leases().elect("writer", listener(leaseOfA::set, null));
    Await.until("a elected", () -> leaseOfA.get() != null);
    register.write(leaseOfA.get().token(), "a's first write");
    assertThat(first.isLeader()).as("a's check before its write").isTrue();
    // a freezes here; meanwhile its store link is gone and its lease runs out
    linkOfA.hang();
    AtomicReference<Lease> leaseOfB = new AtomicReference<>();
    Leadership second = b.leases().elect("writer", listener(leaseOfB::set,
        newLeaderFencesFirst ? register : null));
    for (int i = 0; i < 10 && leaseOfB.get() == null; i++) {
      long attempts = attempts(second);
      time.advance(LEASE.retryInterval());
      Await.until("b's attempt " + i, () -> attempts(second) > attempts
          || leaseOfB.get() != null);
    }
    Await.until("b elected", () -> leaseOfB.get() != null);
    assertThat(leaseOfB.get().token()).isGreaterThan(leaseOfA.get().token());
    // a resumes and writes with the token it checked; b has not written yet
    return register.write(leaseOfA.get().token(), "a's stale write") ? 1 : 0;
  }

  private static long attempts(Leadership l) {
    return l.diagnostics().calls().succeeded() + l.diagnostics().calls().failed();
  }

  private static LeadershipListener listener(java.util.function.Consumer<Lease> onElected,
      FencedRegister fenceOnElection) {
    return new LeadershipListener() {
      @Override
      public void elected(Lease lease) {
        if (fenceOnElection != null) {
          fenceOnElection.fence(lease.token()); // publish the token before acting
        }
        onElected.accept(lease);
      }

      @Override
      public void revoked(Lease lease, RevokeReason reason) {}
    };
  }

  @Test
  void aNewLeaderThatDoesNotPublishItsTokenLetsAFrozenHoldersWriteThrough() {
    FencedRegister register = new FencedRegister();
    assertThat(frozenLeaderResumesAfterTheNextGrant(false, register))
        .as("the register has not seen b's token yet, so a's stale write is accepted").isOne();
    assertThat(register.value()).isEqualTo("a's stale write");
  }

  @Test
  void aNewLeaderThatPublishesItsTokenFirstFencesTheFrozenHolderOut() {
    FencedRegister register = new FencedRegister();
    assertThat(frozenLeaderResumesAfterTheNextGrant(true, register))
        .as("b fenced the register in elected(), before acting").isZero();
    assertThat(register.value()).isEqualTo("a's first write");
  }
}
