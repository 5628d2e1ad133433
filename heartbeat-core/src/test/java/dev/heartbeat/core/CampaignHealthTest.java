package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.LeaseConfig;
import dev.heartbeat.Leadership;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.ElectionRecorder;
import dev.heartbeat.tck.FaultyStore;
import dev.heartbeat.tck.ForwardingStore;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Issue 13 item 9: failures of an election are heard, and its calls are measured. */
class CampaignHealthTest {
  private static final LeaseConfig LEASE = LeaseConfig.ofTtl(Duration.ofSeconds(15));
  private final ManualTime time = new ManualTime();
  private final MemoryStore store = new MemoryStore(time, 100);

  private Heartbeats engine(HeartbeatStore link) {
    return Heartbeats.builder().store(link).time(time).holderId("a").leaseDefaults(LEASE)
        .closeTimeout(Duration.ofSeconds(2)).build();
  }

  @Test
  void aCandidateWhoseCallsFailWarnsOnceAndSaysWhenItRecovers() {
    FaultyStore link = new FaultyStore(store);
    try (Heartbeats hb = engine(link)) {
      link.fail();
      Campaign lead = (Campaign) hb.leases().elect("l", new ElectionRecorder(time));
      for (int i = 0; i < 10; i++) {
        long failed = lead.diagnostics().calls().failed();
        time.advance(LEASE.ttl()); // past any backoff
        Await.until("attempt " + i + " failed", () -> lead.diagnostics().calls().failed() > failed);
      }
      assertThat(lead.outagesLogged()).as("one WARN for ten failed attempts").isEqualTo(1);
      assertThat(lead.recoveriesLogged()).isZero();

      link.heal();
      time.advance(LEASE.ttl());
      Await.until("elected", lead::isLeader);
      assertThat(lead.recoveriesLogged()).as("one INFO on recovery").isEqualTo(1);
      assertThat(lead.outagesLogged()).isEqualTo(1);
    }
  }

  @Test
  void aTtlAboveTheStoresMaximumIsRejectedWhenTheElectionStarts() {
    HeartbeatStore bounded = new ForwardingStore(store) {
      @Override
      public Optional<Duration> maxLeaseTtl() {
        return Optional.of(Duration.ofSeconds(10));
      }
    };
    try (Heartbeats hb = engine(bounded)) {
      assertThatThrownBy(() -> hb.leases().elect("l", LEASE, new ElectionRecorder(time)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("ttl")
          .hasMessageContaining("PT15S")
          .hasMessageContaining("PT10S");
      Leadership ok = hb.leases().elect("l", LeaseConfig.ofTtl(Duration.ofSeconds(9)),
          new ElectionRecorder(time));
      Await.until("elected within the store's bound", ok::isLeader);
    }
  }

  @Test
  void electionCallsRecordTheirLatency() {
    HeartbeatStore slow = new ForwardingStore(store) {
      @Override
      protected <T> T around(String operation, Supplier<T> call) {
        time.advance(Duration.ofMillis(300)); // the store takes 300 ms of the engine's clock
        return call.get();
      }
    };
    try (Heartbeats hb = engine(slow)) {
      Leadership lead = hb.leases().elect("l", new ElectionRecorder(time));
      Await.until("elected", lead::isLeader);
      assertThat(lead.diagnostics().calls().lastLatency()).isEqualTo(Duration.ofMillis(300));
      assertThat(lead.diagnostics().calls().maxLatency()).isEqualTo(Duration.ofMillis(300));
    }
  }
}
