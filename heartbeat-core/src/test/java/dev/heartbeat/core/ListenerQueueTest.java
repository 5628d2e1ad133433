package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.Lease;
import dev.heartbeat.LeaseConfig;
import dev.heartbeat.LeadershipListener;
import dev.heartbeat.RevokeReason;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.FaultyStore;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A listener stuck in its first {@code elected} (ignoring the interrupt) while the leader loses
 * and regains the lease over and over: the calls waiting for it stay within
 * {@link Listeners#MAX_PENDING}, terms that ended before their {@code elected} could start are
 * skipped and counted, and what the listener does hear alternates and ends revoked.
 */
class ListenerQueueTest {
  private static final LeaseConfig LEASE = LeaseConfig.ofTtl(Duration.ofSeconds(15));
  private final ManualTime time = new ManualTime();
  private final MemoryStore store = new MemoryStore(time, 100);

  @Test
  void aStuckListenerHoldsABoundedQueueAndStillHearsEveryTermInOrder() throws Exception {
    FaultyStore link = new FaultyStore(store);
    CountDownLatch unstick = new CountDownLatch(1);
    List<String> heard = new CopyOnWriteArrayList<>();
    try (Heartbeats hb = Heartbeats.builder().store(link).time(time).holderId("a")
        .leaseDefaults(LEASE).closeTimeout(Duration.ofSeconds(5)).build()) {
      Campaign lead = (Campaign) hb.leases().elect("l", new LeadershipListener() {
        @Override
        public void elected(Lease lease) {
          heard.add("elected " + lease.token());
          while (true) {
            try {
              unstick.await(); // stuck, whatever the interrupt says
              return;
            } catch (InterruptedException e) {
              // ignored on purpose
            }
          }
        }

        @Override
        public void revoked(Lease lease, RevokeReason reason) {
          heard.add("revoked " + lease.token());
        }
      });
      int most = 0;
      for (int term = 1; term <= 2 * Listeners.MAX_PENDING; term++) {
        int t = term;
        Await.until("term " + t, () -> lead.isLeader() && lead.diagnostics().timesElected() == t);
        link.fail(); // lose it: the renewal 5 s into the term fails, the deadline at 10 s passes
        long failed = lead.diagnostics().calls().failed();
        time.advance(LEASE.renewInterval());
        Await.until("the renewal failed", () -> lead.diagnostics().calls().failed() > failed);
        time.advance(LEASE.renewDeadline().minus(LEASE.renewInterval()));
        Await.until("revoked at the deadline", () -> !lead.holds());
        link.heal(); // before the candidate fails and backs off
        for (int i = 0; i < 4 && lead.diagnostics().timesElected() == t; i++) {
          long answers = answers(lead);
          time.advance(LEASE.retryInterval()); // the store lets it go at 15 s: acquired again
          Await.until("an answer", () -> answers(lead) > answers);
        }
        most = Math.max(most, lead.listeners().pending());
      }
      assertThat(most).as("calls waiting at most").isLessThanOrEqualTo(Listeners.MAX_PENDING);
      assertThat(lead.listeners().skipped()).as("the bound was reached").isPositive();

      unstick.countDown();
      lead.close();
      Await.until("the last revoked heard", () -> heard.get(heard.size() - 1).startsWith("revoked"));
      for (int i = 0; i < heard.size(); i += 2) {
        String token = heard.get(i).substring("elected ".length());
        assertThat(heard.get(i)).as("call %d", i).startsWith("elected ");
        assertThat(heard.get(i + 1)).as("call %d", i + 1).isEqualTo("revoked " + token);
      }
    }
  }

  private static long answers(Campaign c) {
    var calls = c.diagnostics().calls();
    return calls.succeeded() + calls.failed();
  }
}
