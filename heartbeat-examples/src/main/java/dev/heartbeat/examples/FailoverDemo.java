package dev.heartbeat.examples;

import dev.heartbeat.AgentConfig;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.Leadership;
import dev.heartbeat.LeadershipListener;
import dev.heartbeat.Lease;
import dev.heartbeat.LeaseConfig;
import dev.heartbeat.RevokeReason;
import dev.heartbeat.core.MemoryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Three candidates, each its own {@link Heartbeats} with one worker agent, share one in-memory
 * store and campaign for the lease "orchestrator". The demo stops the leader's whole instance,
 * watches another candidate take over with a higher fencing token, and prints what the store
 * shows. Ends by itself in a few seconds.
 */
public final class FailoverDemo {
  private static final LeaseConfig LEASE = LeaseConfig.ofTtl(Duration.ofSeconds(3));
  private static final long START = System.nanoTime();

  private FailoverDemo() {}

  public static void main(String[] args) throws Exception {
    int code = run();
    System.exit(code);
  }

  static int run() throws Exception {
    MemoryStore store = new MemoryStore();
    say("three candidates on %s: lease ttl %s, renew every %s, step down %s after the last "
        + "renewal sent", store.describe(), LEASE.ttl(), LEASE.renewInterval(),
        LEASE.renewDeadline());
    List<Heartbeats> instances = new ArrayList<>();
    List<Leadership> campaigns = new ArrayList<>();
    List<Long> tokens = new ArrayList<>();
    CountDownLatch first = new CountDownLatch(1);
    CountDownLatch second = new CountDownLatch(2);
    for (int i = 1; i <= 3; i++) {
      Heartbeats hb = Heartbeats.builder().store(store).holderId("candidate-" + i)
          .agentDefaults(AgentConfig.of(Duration.ofMillis(500))).leaseDefaults(LEASE).build();
      instances.add(hb);
      hb.agent("worker-" + i).task("task-" + i).start();
      String who = "candidate-" + i;
      campaigns.add(hb.leases().elect("orchestrator", new LeadershipListener() {
        @Override
        public void elected(Lease lease) {
          say("%s elected leader, fencing token %d", who, lease.token());
          tokens.add(lease.token());
          first.countDown();
          second.countDown();
        }

        @Override
        public void revoked(Lease lease, RevokeReason reason) {
          say("%s revoked (%s), token %d", who, reason, lease.token());
        }
      }));
    }
    if (!first.await(10, TimeUnit.SECONDS)) {
      say("no leader within 10 s");
      return 1;
    }
    Thread.sleep(LEASE.ttl().toMillis()); // let it lead and renew a few times: a demo, not a test
    int leader = indexOfLeader(campaigns);
    var d = campaigns.get(leader).diagnostics();
    say("candidate-%d leads: %d store calls ok, %d failed, lease age %d ms, valid for %d ms more",
        leader + 1, d.calls().succeeded(), d.calls().failed(), d.leaseAge().toMillis(),
        d.validFor().toMillis());
    say("stopping candidate-%d (its whole Heartbeats instance)", leader + 1);
    long stoppedAt = System.nanoTime();
    instances.get(leader).close();
    if (!second.await(10, TimeUnit.SECONDS)) {
      say("no failover within 10 s");
      return 1;
    }
    long failoverMillis = (System.nanoTime() - stoppedAt) / 1_000_000;
    Thread.sleep(1000);
    say("agents in the store:");
    for (Heartbeat h : store.agents()) {
      say("  %-9s %-7s task %-7s seq %3d cpu %s", h.agentId(), h.status(),
          h.taskId().orElse("-"), h.sequence(), h.cpu().isPresent()
              ? String.format("%.0f%%", h.cpu().getAsDouble() * 100) : "n/a");
    }
    say("failover took %d ms; fencing token %d -> %d", failoverMillis, tokens.get(0),
        tokens.get(1));
    for (int i = 0; i < instances.size(); i++) {
      if (i != leader) {
        instances.get(i).close();
      }
    }
    return tokens.get(1) > tokens.get(0) ? 0 : 1;
  }

  private static int indexOfLeader(List<Leadership> campaigns) {
    for (int i = 0; i < campaigns.size(); i++) {
      if (campaigns.get(i).isLeader()) {
        return i;
      }
    }
    throw new IllegalStateException("nobody leads");
  }

  private static void say(String format, Object... args) {
    System.out.printf("[%6.3fs] %s%n", (System.nanoTime() - START) / 1e9, String.format(format, args));
  }
}
