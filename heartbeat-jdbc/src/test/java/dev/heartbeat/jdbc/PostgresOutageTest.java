package dev.heartbeat.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.AgentDiagnostics;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.Lease;
import dev.heartbeat.LeaseConfig;
import dev.heartbeat.Leadership;
import dev.heartbeat.RevokeReason;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.Beats;
import dev.heartbeat.tck.ElectionRecorder;
import dev.heartbeat.tck.FaultProxy;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine on PostgreSQL through a {@link FaultProxy}: what a down or hanging server does to
 * beats and to a leader. Time moves by {@link ManualTime#advance}; only the proxy's sockets run
 * on real time, with generous bounds.
 */
class PostgresOutageTest {
  private static final Duration TTL = Duration.ofSeconds(15);
  private static final LeaseConfig LEASE = LeaseConfig.ofTtl(TTL); // renew 5 s, deadline 10 s

  private final ManualTime time = new ManualTime();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private FaultProxy proxy;
  private JdbcStore direct;
  private JdbcStore proxied;

  @BeforeEach
  void open() {
    proxy = FaultProxy.to(5432);
    direct = Databases.POSTGRES.fresh(100);
    direct.clockOffset(time::elapsed);
    String url = "jdbc:postgresql://127.0.0.1:" + proxy.port()
        + "/test?user=postgres&connectTimeout=5&socketTimeout=5";
    proxied = JdbcStore.builder(new HikariSource(url, "outage", 4, Duration.ofSeconds(10)),
        "jdbc:postgresql via proxy").tablePrefix(direct.tablePrefix()).historyLimit(100).build();
    proxied.clockOffset(time::elapsed);
  }

  @AfterEach
  void close() throws Exception {
    proxy.heal();
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    proxied.close();
    direct.close();
    proxy.close();
  }

  private Heartbeats engine(JdbcStore store, String holder) {
    Heartbeats hb = Heartbeats.builder().store(store).time(time).holderId(holder)
        .leaseDefaults(LEASE).closeTimeout(Duration.ofSeconds(10)).build();
    closing.add(hb);
    return hb;
  }

  @Test
  void beatsFailWhileTheServerIsDownAreCountedAndRecoverByThemselves() {
    HeartbeatAgent agent = engine(proxied, "w").agent("worker").interval(Duration.ofSeconds(1))
        .start();
    Await.until("registered", () -> agent.diagnostics().beats().succeeded() >= 1);

    proxy.refuse();
    for (int round = 1; round <= 3; round++) {
      long failed = agent.diagnostics().beats().failed();
      time.advance(agent.config().maxBackoff());
      Await.until("failed beat " + round, () -> agent.diagnostics().beats().failed() > failed);
    }
    AgentDiagnostics down = agent.diagnostics();
    assertThat(down.beats().failing()).isTrue();
    assertThat(down.beats().consecutiveFailures()).isGreaterThanOrEqualTo(3);
    assertThat(down.beats().lastError()).isNotBlank();
    assertThat(down.successRate()).isLessThan(1.0);
    long sequenceWhileDown = direct.agent("worker").orElseThrow().sequence();

    proxy.heal();
    for (int round = 0; round < 10 && agent.diagnostics().beats().failing(); round++) {
      long attempts = attempts(agent);
      time.advance(agent.config().maxBackoff());
      Await.until("a beat attempted after heal", () -> attempts(agent) > attempts);
    }
    assertThat(agent.diagnostics().beats().failing()).as("recovered by itself").isFalse();
    assertThat(direct.agent("worker").orElseThrow().sequence()).isGreaterThan(sequenceWhileDown);
  }

  @Test
  void afterACutThePoolReconnectsWithinTwoCalls() {
    proxied.register(Beats.plain("a", 1));
    long connections = proxy.accepted();
    proxy.cutAll();
    try {
      proxied.record(Beats.plain("a", 2)); // may fail on the cut connection, or reconnect at once
    } catch (HeartbeatStoreException e) {
      assertThat(e.operation()).isEqualTo("record(a)");
    }
    assertThat(proxied.record(Beats.plain("a", 3))).isPresent();
    assertThat(proxy.accepted()).as("a new connection").isGreaterThan(connections);
  }

  @Test
  void aServerSlowerThanTheSocketTimeoutFailsTheCallAndHealingRestoresIt() {
    String url = "jdbc:postgresql://127.0.0.1:" + proxy.port()
        + "/test?user=postgres&connectTimeout=5&socketTimeout=1";
    try (JdbcStore slow = JdbcStore.builder(new HikariSource(url, "slow", 2, Duration.ofSeconds(10)),
        "jdbc:postgresql via slow proxy").tablePrefix(direct.tablePrefix()).build()) {
      assertThat(slow.now()).isNotNull();
      proxy.delay(Duration.ofSeconds(4));
      assertThatThrownBy(slow::now).isInstanceOf(HeartbeatStoreException.class)
          .satisfies(e -> assertThat(((HeartbeatStoreException) e).operation()).isEqualTo("now()"))
          .hasMessageContaining(slow.describe());
      proxy.heal();
      assertThat(slow.lease("none")).isEmpty();
    }
  }

  private static long attempts(HeartbeatAgent agent) {
    return agent.diagnostics().beats().succeeded() + agent.diagnostics().beats().failed();
  }

  private static long attempts(Leadership leadership) {
    return leadership.diagnostics().calls().succeeded() + leadership.diagnostics().calls().failed();
  }

  @Test
  void aLeaderWhoseServerHangsStepsDownBeforeItsLeaseExpiresAndNobodyOverlaps() {
    ElectionRecorder aEvents = new ElectionRecorder(time);
    ElectionRecorder bEvents = new ElectionRecorder(time);
    Leadership a = engine(proxied, "a").leases().elect("leader", aEvents);
    Await.until("a elected", a::isLeader);
    Leadership b = engine(direct, "b").leases().elect("leader", bEvents);
    Await.until("b tried", () -> b.diagnostics().calls().succeeded() >= 1);
    Lease held = a.lease().orElseThrow();

    proxy.blackHole();
    time.advance(LEASE.renewInterval());
    Await.until("the renewal is sent into the black hole", () -> proxy.swallowed() > 0);
    time.advance(LEASE.renewDeadline().minus(LEASE.renewInterval()));

    Await.until("a revoked", () -> aEvents.revocations() == 1);
    assertThat(aEvents.last().reason()).isEqualTo(RevokeReason.DEADLINE_PASSED);
    assertThat(a.isLeader()).isFalse();
    Lease stored = direct.lease("leader").orElseThrow();
    assertThat(stored.token()).isEqualTo(held.token());
    assertThat(stored.expiredAt(direct.now())).as("revoked before the database expired it")
        .isFalse();
    assertThat(bEvents.elections()).isZero();

    time.advance(TTL.minus(LEASE.renewDeadline())); // the database expires a's lease now
    for (int round = 0; round < 4 && bEvents.elections() == 0; round++) {
      long attempts = attempts(b);
      time.advance(LEASE.retryInterval());
      Await.until("b tried again", () -> attempts(b) > attempts || bEvents.elections() > 0);
    }
    Await.until("b elected", () -> bEvents.elections() == 1);
    assertThat(b.lease().orElseThrow().token()).isGreaterThan(held.token());
    assertThat(bEvents.events().get(0).at()).isAfterOrEqualTo(aEvents.last().at());
    assertThat(aEvents.revocations()).as("revoked exactly once").isEqualTo(1);
  }
}
