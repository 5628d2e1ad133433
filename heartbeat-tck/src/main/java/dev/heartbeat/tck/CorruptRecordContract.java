package dev.heartbeat.tck;

import static dev.heartbeat.tck.Beats.plain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.Lease;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.LeaseRenewal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A record that cannot be read is reported once and skipped; the others still read. */
public abstract class CorruptRecordContract extends StoreContract {
  /** For subclasses: a store's test class extends it. */
  protected CorruptRecordContract() {}

  private static final Duration TTL = Duration.ofSeconds(15);

  @Test
  void anUnreadableAgentIsReportedSkippedAndRepairedByRegistering() {
    HeartbeatStore store = open();
    store.register(plain("good-1", 1));
    store.register(plain("bad", 1));
    store.register(plain("good-2", 1));
    harness().damageAgent(store, "bad");

    assertThat(store.agents()).extracting(Heartbeat::agentId).containsExactly("good-1", "good-2");
    assertThat(store.agent("bad")).isEmpty();
    assertThat(store.agent("good-2")).isPresent();
    assertThat(store.problems()).hasSize(1);
    store.agents();
    assertThat(store.problems()).as("reported once").hasSize(1);
    assertThat(store.record(plain("bad", 2))).as("unreadable counts as unknown").isEmpty();

    store.register(plain("bad", 3));
    assertThat(store.agent("bad")).get().extracting(Heartbeat::sequence).isEqualTo(3L);
    assertThat(store.agents()).hasSize(3);
  }

  @Test
  void anUnreadableLeaseIsSkippedThenRetakenAfterOneTtlWithAGreaterToken() {
    HeartbeatStore store = open();
    Lease before = store.tryAcquire("bad", "a", TTL).orElseThrow();
    store.tryAcquire("good", "a", TTL).orElseThrow();
    harness().damageLease(store, "bad");

    assertThat(store.lease("bad")).isEmpty();
    assertThat(store.leases()).extracting(Lease::name).containsExactly("good");
    assertThat(store.problems()).isNotEmpty();
    assertThat(store.renew("bad", "a", before.token(), TTL)).isEmpty();
    assertThat(store.tryAcquire("bad", "b", TTL))
        .as("its holder may still act until it fails to renew: not free at once").isEmpty();

    time.advance(TTL);
    Lease after = store.tryAcquire("bad", "b", TTL).orElseThrow();
    assertThat(after.token()).as("tokens never go back").isGreaterThan(before.token());
    assertThat(store.lease("bad")).contains(after);
    assertThat(store.leases()).extracting(Lease::name).containsExactly("bad", "good");
  }

  @Test
  void anUnreadableLeaseIsHeldForTheLongestTtlItWasGrantedNotTheAcquirersTtl() {
    HeartbeatStore store = open();
    Duration holderTtl = Duration.ofSeconds(60);
    Duration candidateTtl = Duration.ofSeconds(5);
    Lease held = store.tryAcquire("bad", "a", holderTtl).orElseThrow();
    store.renew("bad", "a", held.token(), holderTtl).orElseThrow();
    harness().damageLease(store, "bad");
    assertThat(store.lease("bad")).isEmpty();

    time.advance(candidateTtl.multipliedBy(2));
    assertThat(store.tryAcquire("bad", "b", candidateTtl))
        .as("a 5 s candidate must wait out the 60 s holder, not its own 5 s").isEmpty();
    time.advance(holderTtl.minus(candidateTtl.multipliedBy(3)));
    assertThat(store.tryAcquire("bad", "b", candidateTtl)).as("55 s after it was noticed")
        .isEmpty();
    time.advance(candidateTtl.plusSeconds(1));
    Lease after = store.tryAcquire("bad", "b", candidateTtl).orElseThrow();
    assertThat(after.token()).isGreaterThan(held.token());
  }

  @Test
  void forgetRemovesAnUnreadableAgent() {
    HeartbeatStore store = open();
    store.register(Beats.plain("bad", 1));
    store.register(Beats.plain("good", 1));
    harness().damageAgent(store, "bad");
    assertThat(store.agent("bad")).isEmpty();
    assertThat(store.forget("bad")).isTrue();
    assertThat(store.agents()).extracting(Heartbeat::agentId).containsExactly("good");
    assertThat(store.record(Beats.plain("bad", 2))).isEmpty();
  }

  @Test
  void renewAllReportsAnUnreadableLeaseAndRenewsTheOthers() {
    HeartbeatStore store = open();
    Lease first = store.tryAcquire("first", "a", TTL).orElseThrow();
    Lease bad = store.tryAcquire("bad", "a", TTL).orElseThrow();
    Lease last = store.tryAcquire("last", "a", TTL).orElseThrow();
    harness().damageLease(store, "bad");
    time.advance(Duration.ofSeconds(1));

    List<Optional<Lease>> answers = store.renewAll(List.of(
        new LeaseRenewal("first", "a", first.token(), TTL),
        new LeaseRenewal("bad", "a", bad.token(), TTL),
        new LeaseRenewal("last", "a", last.token(), TTL)));

    assertThat(answers.get(1)).isEmpty();
    assertThat(store.problems()).as("reported, with where it is")
        .anySatisfy(p -> assertThat(p.location()).contains("bad"));
    assertThat(answers.get(0)).isEqualTo(store.lease("first"));
    assertThat(answers.get(2)).isEqualTo(store.lease("last"));
    assertThat(answers.get(2)).get().extracting(Lease::renewedAt).isNotEqualTo(last.renewedAt());
  }

  @Test
  void aRenewalThatFailsOnAnUnreadableLeaseReportsIt() {
    HeartbeatStore store = open();
    Lease bad = store.tryAcquire("bad", "a", TTL).orElseThrow();
    harness().damageLease(store, "bad");

    assertThat(store.renew("bad", "a", bad.token(), TTL)).isEmpty();
    assertThat(store.problems()).as("the holder loses its lease: the operator learns why")
        .anySatisfy(p -> assertThat(p.location()).contains("bad"));
  }
}
