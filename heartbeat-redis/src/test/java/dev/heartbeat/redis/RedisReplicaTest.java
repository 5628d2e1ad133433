package dev.heartbeat.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.Lease;
import dev.heartbeat.LeaseConfig;
import dev.heartbeat.Leadership;
import dev.heartbeat.RevokeReason;
import dev.heartbeat.spi.LeaseRenewal;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.ElectionRecorder;
import dev.heartbeat.tck.ManualTime;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code waitForReplicas} on a private primary and a private replica of it: acknowledged writes
 * are on the replica when the call returns; with the replica frozen (SIGSTOP) acquisitions and
 * renewals fail naming the counts, an unacknowledged acquisition is given back and a leader steps
 * down at the deadline of its last acknowledged renewal; after a
 * failover to the replica the lease is held with the acknowledged expiry and token until then,
 * and the new primary (another server process) hands out no lease before its quarantine ends.
 */
class RedisReplicaTest {
  private static final Duration TTL = Duration.ofMinutes(5);
  private static final Duration WAIT = Duration.ofSeconds(1);
  /** Slack for a WAIT that times out: the timeout plus this, far below the command timeout. */
  private static final Duration SLACK = Duration.ofSeconds(6);
  private static final String PREFIX = "replica";

  private final ManualTime time = new ManualTime();
  private RedisServer primary;
  private RedisServer replica;
  private RedisClient replicaClient;
  private StatefulRedisConnection<String, String> replicaConnection;
  private RedisStore store;

  @BeforeEach
  void start() {
    primary = RedisServer.start("--repl-diskless-sync-delay", "0"); // the replica syncs at once
    replica = RedisServer.start("--replicaof", "127.0.0.1", Integer.toString(primary.port()));
    replicaClient = RedisHarness.client(replica.uri());
    replicaConnection = replicaClient.connect();
    Await.until("the replica linked to its primary", () ->
        replicaConnection.sync().info("replication").contains("master_link_status:up"),
        Duration.ofSeconds(30));
    // and the primary counts it online, so that WAIT counts its acknowledgements (on a loaded
    // machine the link was up while the primary still synced it: the first write timed out)
    RedisClient primaryClient = RedisHarness.client(primary.uri());
    try (StatefulRedisConnection<String, String> p = primaryClient.connect()) {
      Await.until("the primary counts its replica online", () ->
          p.sync().info("replication").contains("state=online")
          && p.sync().waitForReplication(1, 1000) >= 1, Duration.ofSeconds(30));
    } finally {
      primaryClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    store = builder(primary).waitForReplicas(1, WAIT).build();
  }

  @AfterEach
  void stop() {
    try {
      store.close();
      replicaConnection.close();
      replicaClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    } finally {
      replica.close();
      primary.close();
    }
  }

  private RedisStoreBuilder builder(RedisServer server) {
    return RedisStore.builder(server.uri()).keyPrefix(PREFIX).maxLeaseTtl(Duration.ofMinutes(10))
        .commandTimeout(Duration.ofSeconds(10)).clockOffset(time::elapsed).trustEmptyServer();
  }

  @Test
  void everyAcknowledgedWriteIsOnTheReplicaWhenTheCallReturns() {
    Lease acquired = store.tryAcquire("leader", "a", TTL).orElseThrow();
    assertThat(onReplica("leader")).get().isEqualTo(acquired);

    time.advance(Duration.ofSeconds(10));
    Lease renewed = store.renew("leader", "a", acquired.token(), TTL).orElseThrow();
    assertThat(renewed.expiresAt()).isAfter(acquired.expiresAt());
    assertThat(onReplica("leader")).get().isEqualTo(renewed);

    time.advance(Duration.ofSeconds(10));
    Lease batch = store.renewAll(List.of(new LeaseRenewal("leader", "a", acquired.token(), TTL)))
        .get(0).orElseThrow();
    assertThat(batch.expiresAt()).isAfter(renewed.expiresAt());
    assertThat(onReplica("leader")).get().isEqualTo(batch);
    assertThat(store.release("leader", "a", acquired.token())).isTrue();
  }

  @Test
  void writesThatTheFrozenReplicaCannotAcknowledgeFailNamingTheCounts() {
    Lease a = store.tryAcquire("a", "x", TTL).orElseThrow();
    Lease b = store.tryAcquire("b", "x", TTL).orElseThrow();
    store.renewAll(List.of(new LeaseRenewal("b", "x", b.token(), TTL))); // every script loaded:
    store.renew("a", "x", a.token(), TTL).orElseThrow(); // one WAIT per call from here on
    String shortfall = "acknowledged by 0 of 1 replicas within 1000 ms";
    try (RedisStore plain = builder(primary).build()) {
      replica.pause();
      try {
        time.advance(Duration.ofSeconds(10));
        assertFailsWithin(() -> store.renew("a", "x", a.token(), TTL), "renew(a)", shortfall);
        assertFailsWithin(() -> store.tryAcquire("c", "x", TTL), "tryAcquire(c)", shortfall);
        assertThat(store.lease("c")).as("the unacknowledged acquisition was given back").isEmpty();
        assertFailsWithin(() -> store.renewAll(List.of(new LeaseRenewal("a", "x", a.token(), TTL),
            new LeaseRenewal("b", "x", b.token(), TTL))), "renewAll", shortfall);
        assertThat(store.release("b", "x", b.token())).as("a release does not throw").isTrue();
        assertThat(plain.renew("a", "x", a.token(), TTL))
            .as("a store that does not wait for replicas renews as before").isPresent();
      } finally {
        replica.resume();
      }
    }
    Lease renewed = store.renew("a", "x", a.token(), TTL).orElseThrow();
    assertThat(onReplica("a")).get().isEqualTo(renewed);
    Lease c = store.tryAcquire("c", "y", TTL).orElseThrow();
    assertThat(c.token()).isGreaterThan(a.token());
    assertThat(onReplica("b")).as("the release reached the replica once it resumed").isEmpty();
  }

  @Test
  void aLeaderWhoseRenewalsTheReplicaCannotAcknowledgeStepsDownAtItsDeadline() {
    LeaseConfig config = LeaseConfig.ofTtl(Duration.ofSeconds(15));
    ElectionRecorder events = new ElectionRecorder(time);
    try (Heartbeats hb = Heartbeats.builder().store(store).time(time).holderId("a")
        .leaseDefaults(config).closeTimeout(Duration.ofSeconds(5)).build()) {
      Leadership leader = hb.leases().elect("leader", events);
      Await.until("elected", leader::isLeader);
      long token = leader.lease().orElseThrow().token();
      replica.pause();
      try {
        long failed = leader.diagnostics().calls().failed();
        time.advance(config.renewInterval());
        Await.until("the renewal failed", () -> leader.diagnostics().calls().failed() > failed);
        assertThat(leader.diagnostics().calls().lastError()).contains("acknowledged by 0 of 1");
        assertThat(leader.isLeader()).as("still leader until its previous deadline").isTrue();
        time.advance(config.renewDeadline().minus(config.renewInterval()));
        Await.until("revoked", () -> events.revocations() == 1);
        assertThat(events.last().reason()).isEqualTo(RevokeReason.DEADLINE_PASSED);
      } finally {
        replica.resume();
      }
      assertThat(store.lease("leader")).get().extracting(Lease::token).isEqualTo(token);
    }
  }

  @Test
  void afterAFailoverToTheReplicaTheLeaseIsHeldUntilItsAcknowledgedExpiry() {
    Lease acquired = store.tryAcquire("leader", "a", TTL).orElseThrow();
    time.advance(Duration.ofSeconds(10));
    Lease renewed = store.renew("leader", "a", acquired.token(), TTL).orElseThrow();
    time.advance(Duration.ofSeconds(10));
    Lease last = store.renew("leader", "a", acquired.token(), TTL).orElseThrow();

    primary.kill();
    replicaConnection.sync().replicaofNoOne();
    try (RedisStore promoted = RedisStore.builder(replica.uri()).keyPrefix(PREFIX)
        .maxLeaseTtl(Duration.ofMinutes(10)).commandTimeout(Duration.ofSeconds(10))
        .clockOffset(time::elapsed).build()) {
      Lease held = promoted.lease("leader").orElseThrow();
      assertThat(held.holder()).isEqualTo("a");
      assertThat(held.token()).isEqualTo(acquired.token());
      assertThat(held.expiresAt()).isEqualTo(last.expiresAt()).isAfter(renewed.expiresAt());

      time.advance(TTL.minusMinutes(1)); // a minute before the expiry, however slow this machine
      assertThat(promoted.now()).isBefore(last.expiresAt());
      assertThat(promoted.tryAcquire("leader", "b", TTL)).as("not before its expiry").isEmpty();
      time.advance(Duration.ofMinutes(1));
      assertThat(promoted.now()).isAfterOrEqualTo(last.expiresAt());
      assertThat(promoted.tryAcquire("leader", "b", TTL))
          .as("another server process: the quarantine its first script started still runs")
          .isEmpty();
      time.advance(Duration.ofMinutes(10));
      Lease taken = promoted.tryAcquire("leader", "b", TTL).orElseThrow();
      assertThat(taken.token()).isGreaterThan(acquired.token());
    }
  }

  @Test
  void aUriWaitsForItsReplicas() {
    store.tryAcquire("warm", "x", TTL).orElseThrow(); // the prefix's epoch marker exists
    String uri = primary.uri() + "/0?prefix=" + PREFIX + "&replicas=2&replicaTimeout=200ms";
    try (var opened = new RedisStoreProvider().open(java.net.URI.create(uri))) {
      assertThatThrownBy(() -> opened.tryAcquire("u", "x", Duration.ofSeconds(30)))
          .isInstanceOf(HeartbeatStoreException.class)
          .hasMessageContaining("acknowledged by 1 of 2 replicas within 200 ms");
    }
  }

  private void assertFailsWithin(Runnable call, String operation, String shortfall) {
    long start = System.nanoTime();
    assertThatThrownBy(call::run).isInstanceOf(HeartbeatStoreException.class)
        .hasMessageContaining(store.describe()).hasMessageContaining(shortfall)
        .satisfies(e -> assertThat(((HeartbeatStoreException) e).operation()).isEqualTo(operation));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as(operation + " gave up in time")
        .isLessThan(WAIT.plus(SLACK));
  }

  /** The lease as the replica has it, read on the replica itself. */
  private Optional<Lease> onReplica(String name) {
    RedisCommands<String, String> redis = replicaConnection.sync();
    Map<String, String> hash = redis.hgetall(store.context().keys().lease(name));
    return hash.isEmpty() ? Optional.empty() : Optional.of(Records.lease(name, hash));
  }
}
