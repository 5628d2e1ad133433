package dev.heartbeat.tck;

import static dev.heartbeat.tck.Beats.plain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.Lease;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.LeaseRenewal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The batch forms: one answer per element, in order, each as the single call would give. */
public abstract class BatchContract extends StoreContract {
  /** For subclasses: a store's test class extends it. */
  protected BatchContract() {}

  private static final Duration TTL = Duration.ofSeconds(15);

  @Test
  void renewAllAnswersEachRenewalInOrder() {
    HeartbeatStore store = open();
    Lease kept = store.tryAcquire("kept", "a", TTL).orElseThrow();
    Lease stale = store.tryAcquire("stale", "a", TTL).orElseThrow();
    Lease released = store.tryAcquire("released", "a", TTL).orElseThrow();
    store.release("released", "a", released.token());
    time.advance(Duration.ofSeconds(5));

    List<Optional<Lease>> answers = store.renewAll(List.of(
        new LeaseRenewal("kept", "a", kept.token(), TTL),
        new LeaseRenewal("stale", "a", stale.token() + 100, TTL),
        new LeaseRenewal("released", "a", released.token(), TTL),
        new LeaseRenewal("never", "a", 1, TTL)));
    assertThat(answers).hasSize(4);
    assertThat(answers.get(0)).get().extracting(Lease::renewedAt).isNotEqualTo(kept.renewedAt());
    assertThat(answers.get(0)).get().as("the term's own fields are kept")
        .extracting(Lease::holder, Lease::token, Lease::acquiredAt, Lease::transitions)
        .containsExactly(kept.holder(), kept.token(), kept.acquiredAt(), kept.transitions());
    assertThat(answers.get(0)).isEqualTo(store.lease("kept"));
    assertThat(answers.get(1)).isEmpty();
    assertThat(answers.get(2)).isEmpty();
    assertThat(answers.get(3)).isEmpty();
    assertThat(store.lease("stale")).contains(stale);
  }

  @Test
  void renewAllOfNothingIsNothing() {
    assertThat(open().renewAll(List.of())).isEmpty();
    assertThat(open().recordAll(List.of())).isEmpty();
  }

  @Test
  void renewAllRenewsManyLeases() {
    HeartbeatStore store = open();
    List<LeaseRenewal> renewals = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      // a server's clock runs in real time too: acquire for long enough to survive a slow setup
      Lease lease = store.tryAcquire("lease-" + i, "a", Duration.ofMinutes(5)).orElseThrow();
      renewals.add(new LeaseRenewal(lease.name(), "a", lease.token(), TTL));
    }
    time.advance(Duration.ofSeconds(10));
    List<Optional<Lease>> answers = store.renewAll(renewals);
    assertThat(answers).hasSize(300).allMatch(Optional::isPresent);
    time.advance(Duration.ofSeconds(10));
    assertThat(answers).allMatch(a -> a.get().ttl().equals(TTL));
    assertThat(store.tryAcquire("lease-299", "b", TTL)).as("renewed, still held").isEmpty();
    time.advance(Duration.ofSeconds(10));
    assertThat(store.tryAcquire("lease-0", "b", TTL)).as("the renewal's ttl replaced the first")
        .isPresent();
  }

  @Test
  void recordAllAnswersEachBeatInOrder() {
    HeartbeatStore store = open();
    store.register(plain("a", 1));
    store.register(plain("c", 1));
    List<Beat> beats = List.of(plain("a", 2), plain("b", 2), plain("c", 2), plain("a", 3));
    List<Optional<Heartbeat>> answers = store.recordAll(beats);
    assertThat(answers).hasSize(4);
    assertThat(answers.get(0)).get().extracting(Heartbeat::sequence).isEqualTo(2L);
    assertThat(answers.get(1)).isEmpty();
    assertThat(answers.get(2)).get().extracting(Heartbeat::agentId).isEqualTo("c");
    assertThat(answers.get(3)).get().extracting(Heartbeat::sequence).isEqualTo(3L);
    assertThat(store.agent("a")).get().extracting(Heartbeat::sequence).isEqualTo(3L);
    assertThat(store.agent("b")).isEmpty();
  }
}
