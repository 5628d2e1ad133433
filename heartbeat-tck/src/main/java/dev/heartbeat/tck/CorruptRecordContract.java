package dev.heartbeat.tck;

import static dev.heartbeat.tck.Beats.plain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.Lease;
import dev.heartbeat.spi.HeartbeatStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A record that cannot be read is reported once and skipped; the others still read. */
public abstract class CorruptRecordContract extends StoreContract {
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
}
