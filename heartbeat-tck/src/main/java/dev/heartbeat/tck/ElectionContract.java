package dev.heartbeat.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.Leadership;
import dev.heartbeat.Lease;
import dev.heartbeat.LeaseConfig;
import dev.heartbeat.RevokeReason;
import dev.heartbeat.spi.HeartbeatStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine on this store: elections with safe step-down, agents beating through the ticker,
 * and a graceful close; with the lifecycle tests of {@link ElectionLifecycleContract}. Every
 * client has its own {@link FaultyStore} link to the one store, so a test can cut one client off.
 * Time moves only by {@link ManualTime#advance}.
 */
public abstract class ElectionContract extends ElectionLifecycleContract {
  /** For subclasses: a store's test class extends it. */
  protected ElectionContract() {}

  @Test
  void exactlyOneOfThreeCandidatesLeadsAndKeepsLeading() {
    List<Client> clients = List.of(client("a"), client("b"), client("c"));
    List<Leadership> campaigns = clients.stream().map(ElectionContract::elect).toList();
    Await.until("a leader", () -> clients.stream().mapToLong(c -> c.events().elections()).sum() == 1);
    Leadership leader = campaigns.stream().filter(Leadership::isLeader).findFirst().orElseThrow();
    long token = leader.lease().orElseThrow().token();

    for (int round = 1; round <= 6; round++) {
      long renewed = leader.diagnostics().calls().succeeded();
      time.advance(LEASE.renewInterval());
      Await.until("renewal " + round, () -> leader.diagnostics().calls().succeeded() > renewed);
      assertThat(campaigns.stream().filter(Leadership::isLeader)).hasSize(1);
    }
    assertThat(leader.lease()).get().extracting(Lease::token).isEqualTo(token);
    assertThat(clients.stream().mapToLong(c -> c.events().elections()).sum()).isEqualTo(1);
    assertThat(clients.stream().mapToLong(c -> c.events().revocations()).sum()).isZero();
  }

  @Test
  void aResigningLeaderIsRevokedReleasesAndAnotherTakesOverWithAGreaterToken() {
    Client a = client("a");
    Leadership first = elect(a);
    Await.until("a elected", first::isLeader);
    Client b = client("b");
    Leadership second = elect(b);
    Await.until("b tried and failed", () -> second.diagnostics().calls().succeeded() >= 1);
    long token = first.lease().orElseThrow().token();

    first.close();
    assertThat(a.events().last().reason()).isEqualTo(RevokeReason.RESIGNED);
    // released on resign: free, or already taken by b, whom the release woke in this JVM
    store.lease("leader").ifPresent(l -> assertThat(l.holder()).as("released on resign")
        .isEqualTo("b"));

    time.advance(LEASE.retryInterval());
    Await.until("b elected", second::isLeader);
    assertThat(second.lease().orElseThrow().token()).isGreaterThan(token);
  }

  @Test
  void aLeaderCutOffFromTheStoreStepsDownBeforeAnyoneCanTakeOver() {
    Client a = client("a");
    Leadership leader = elect(a);
    Await.until("a elected", leader::isLeader);
    Client b = client("b");
    Leadership candidate = elect(b);
    Await.until("b tried", () -> candidate.diagnostics().calls().succeeded() >= 1);
    Lease held = leader.lease().orElseThrow();

    a.link().hang(); // black hole: calls never answer
    int sent = a.link().calls();
    time.advance(LEASE.renewInterval());
    Await.until("the renewal is sent and hangs", () -> a.link().calls() > sent);
    time.advance(LEASE.renewDeadline().minus(LEASE.renewInterval()).minusSeconds(1));
    assertThat(leader.isLeader()).as("still valid one second before the deadline").isTrue();

    time.advance(Duration.ofSeconds(1)); // the local deadline: 10 s after the last renewal sent
    assertThat(leader.isLeader()).as("isLeader is computed at each call").isFalse();
    Await.until("a revoked", () -> a.events().revocations() == 1);
    assertThat(a.events().last().reason()).isEqualTo(RevokeReason.DEADLINE_PASSED);
    assertThat(leader.diagnostics().calls().failed())
        .as("the renewal that never answered counts as failed").isEqualTo(1);
    Lease stored = store.lease("leader").orElseThrow();
    assertThat(stored.token()).isEqualTo(held.token());
    assertThat(stored.expiredAt(store.now())).as("revoked before the store could expire it")
        .isFalse();
    assertThat(b.events().elections()).isZero();

    time.advance(TTL.minus(LEASE.renewDeadline())); // the store may now expire a's lease
    // one second at a time, each once none of b's store calls is on its way: four fixed retry
    // intervals were not enough when the clock outran an attempt of b on a loaded machine (the
    // attempt then counted as unanswered, and the backoff after it outlasted the intervals left)
    for (int s = 0; s < 60 && b.events().elections() == 0; s++) {
      Await.until("b's calls answered", () -> b.events().elections() == 1
          || b.hb().ticker().storeCallsRunning() == 0);
      time.advance(Duration.ofSeconds(1));
    }
    Await.until("b elected", () -> b.events().elections() >= 1);
    // the term b was elected for: an attempt sent before an advance and judged by the store after
    // it is valid only from its send, so b may already have stepped down again
    assertThat(b.events().events().get(0).lease().token()).isGreaterThan(held.token());
    assertThat(b.events().events().get(0).at()).isAfterOrEqualTo(a.events().last().at());
    assertThat(a.events().revocations()).as("revoked exactly once").isEqualTo(1);
    a.link().heal();
  }

  @Test
  void aFailingStoreRevokesOnceAndTheCandidateRecoversByItself() {
    Client a = client("a");
    Leadership leader = elect(a);
    Await.until("a elected", leader::isLeader);
    long token = leader.lease().orElseThrow().token();

    a.link().fail();
    time.advance(LEASE.renewInterval());
    Await.until("a renewal failed", () -> leader.diagnostics().calls().failed() >= 1);
    assertThat(leader.isLeader()).as("one failed renewal does not lose the lease").isTrue();
    assertThat(leader.diagnostics().calls().lastError()).contains("link cut by the test");

    time.advance(LEASE.renewDeadline().minus(LEASE.renewInterval()));
    Await.until("a revoked", () -> a.events().revocations() == 1);
    assertThat(a.events().last().reason()).isEqualTo(RevokeReason.DEADLINE_PASSED);

    a.link().heal();
    time.advance(LEASE.retryInterval()); // the old lease has expired in the store by now
    Await.until("a elected again", () -> a.events().elections() == 2);
    assertThat(leader.lease().orElseThrow().token()).isGreaterThan(token);
    assertThat(a.events().revocations()).isEqualTo(1);
  }

  @Test
  void agentsBeatThroughTheTickerAndCountFailures() {
    Client a = client("a");
    HeartbeatAgent agent = a.hb().agent("worker-1").interval(Duration.ofSeconds(5)).start();
    Await.until("registered", () -> agent.diagnostics().beats().succeeded() == 1);
    agent.working("task-1", "1/3");
    time.advance(Duration.ofSeconds(5));
    Await.until("second beat", () -> agent.diagnostics().beats().succeeded() == 2);
    assertThat(agent.diagnostics().lastWriteVerified()).isTrue();
    assertThat(store.agent("worker-1")).get().satisfies(h -> {
      assertThat(h.taskId()).contains("task-1");
      assertThat(h.progress()).contains("1/3");
      assertThat(h.status()).isEqualTo(AgentStatus.WORKING);
      assertThat(h.incarnation()).isEqualTo(agent.incarnation());
    });
    assertThat(store.events("worker-1", 10)).hasSize(1);

    a.link().fail();
    time.advance(Duration.ofSeconds(5));
    Await.until("a failure", () -> agent.diagnostics().beats().failed() == 1);
    assertThat(agent.diagnostics().beats().consecutiveFailures()).isEqualTo(1);
    assertThat(agent.diagnostics().successRate()).isLessThan(1.0);

    a.link().heal();
    time.advance(Duration.ofSeconds(5)); // backoff after one failure is at most one interval
    Await.until("recovered", () -> agent.diagnostics().beats().succeeded() >= 3);
    assertThat(agent.diagnostics().beats().consecutiveFailures()).isZero();
    assertThat(store.events("worker-1", 10)).as("progress not repeated").hasSize(1);
  }

  @Test
  void closeRecordsAgentsAsLeftAndReleasesLeases() {
    Client a = client("a");
    HeartbeatAgent agent = a.hb().agent("worker-1").start();
    Leadership leader = elect(a);
    Await.until("a elected", leader::isLeader);
    Await.until("registered", () -> agent.diagnostics().beats().succeeded() == 1);

    a.hb().close();
    assertThat(store.agent("worker-1")).get().extracting(h -> h.status())
        .isEqualTo(AgentStatus.LEFT);
    assertThat(store.lease("leader")).isEmpty();
    assertThat(a.events().last().reason()).isEqualTo(RevokeReason.RESIGNED);
    assertThat(agent.diagnostics().closed()).isTrue();
  }
}
