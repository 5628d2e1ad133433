package dev.heartbeat.redis;

import static dev.heartbeat.tck.Beats.plain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.Lease;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.LeaseRenewal;
import dev.heartbeat.tck.ManualTime;
import io.lettuce.core.cluster.SlotHash;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the Redis store promises beyond the kit: layout, trimming, bounds, URIs, validation. */
class RedisStoreTest {
  private static final Duration TTL = Duration.ofSeconds(15);
  private final ManualTime time = new ManualTime();
  private final RedisStore store = (RedisStore) RedisHarness.INSTANCE.open(time, 20);
  private final Context ctx = store.context();

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void everyKeyOfOneAgentOrLeaseSharesOneSlot() {
    for (String id : List.of("worker-7", "{tag}:x", "}{", "a}b{c")) {
      Keys k = ctx.keys();
      assertThat(List.of(k.beats(id), k.events(id))).allSatisfy(key ->
          assertThat(SlotHash.getSlot(key)).isEqualTo(SlotHash.getSlot(k.agent(id))));
      assertThat(SlotHash.getSlot(k.fence(id))).isEqualTo(SlotHash.getSlot(k.lease(id)));
      Keys cluster = new Keys("p", true);
      assertThat(SlotHash.getSlot(cluster.epoch(id))).isEqualTo(SlotHash.getSlot(cluster.lease(id)));
    }
  }

  /**
   * An agent hash and a beats-stream entry of the version before beats carried their interval
   * (no {@code iv} field) read as beats without one; the next beat writes its interval.
   */
  @Test
  void recordsWithoutAnIntervalFieldReadAsBeatsWithoutOne() {
    store.register(plain("a", 1));
    String agentKey = ctx.keys().agent("a");
    assertThat(ctx.link().await(ctx.link().commands().hget(agentKey, "iv"), "test"))
        .isEqualTo(Long.toString(dev.heartbeat.tck.Beats.INTERVAL.toNanos() / 1000));
    ctx.link().await(ctx.link().commands().hdel(agentKey, "iv"), "test");
    ctx.link().await(ctx.link().commands().xadd(ctx.keys().beats("a"), java.util.Map.of("inc",
        "inc-1", "seq", "2", "status", "IDLE", "cpu", "0.25", "at", "1")), "test");
    assertThat(store.agent("a")).get().satisfies(h -> {
      assertThat(h.sequence()).isEqualTo(1L);
      assertThat(h.interval()).isEmpty();
    });
    assertThat(store.history("a", 1)).singleElement()
        .satisfies(h -> assertThat(h.interval()).isEmpty());
    assertThat(store.problems()).isEmpty();
    assertThat(store.record(plain("a", 2))).get()
        .satisfies(h -> assertThat(h.interval()).contains(dev.heartbeat.tck.Beats.INTERVAL));
    assertThat(store.agent("a").orElseThrow().interval()).contains(dev.heartbeat.tck.Beats.INTERVAL);
  }

  @Test
  void historyIsTrimmedApproximatelyAndReadBackClipped() {
    store.register(plain("a", 0));
    store.recordAll(java.util.stream.LongStream.rangeClosed(1, 400).mapToObj(i -> plain("a", i)).toList());
    long length = ctx.link().await(ctx.link().commands().xlen(ctx.keys().beats("a")), "test");
    assertThat(length).as("approximate MAXLEN keeps at most a node more").isBetween(20L, 220L);
    List<Heartbeat> history = store.history("a", 1000);
    assertThat(history).hasSize(20);
    assertThat(history.get(0).sequence()).isEqualTo(400);
  }

  @Test
  void batchRenewalSpanningSeveralScriptCallsAnswersEachInOrder() {
    List<LeaseRenewal> renewals = new java.util.ArrayList<>();
    for (int i = 0; i < 700; i++) {
      Lease lease = store.tryAcquire("many-" + i, "a", TTL).orElseThrow();
      renewals.add(new LeaseRenewal(lease.name(), "a", lease.token(), TTL));
    }
    renewals.set(577, new LeaseRenewal("many-577", "b", renewals.get(577).token(), TTL));
    renewals.add(renewals.get(3));
    harnessDamage("many-650");
    time.advance(Duration.ofSeconds(5));
    List<java.util.Optional<Lease>> answers = store.renewAll(renewals);
    assertThat(answers).hasSize(701);
    for (int i = 0; i < 701; i++) {
      assertThat(answers.get(i).isPresent()).as("answer %d", i).isEqualTo(i != 577 && i != 650);
    }
    assertThat(answers.get(700).orElseThrow().name()).isEqualTo("many-3");
    assertThat(store.problems()).extracting(p -> p.location()).containsExactly(ctx.keys().lease("many-650"));
  }

  @Test
  void aRenewalThatFindsAMalformedTermFieldReportsItAndRenewsNothingItCannotRead() {
    Lease one = store.tryAcquire("one", "a", TTL).orElseThrow();
    Lease two = store.tryAcquire("two", "a", TTL).orElseThrow();
    for (String[] damage : List.of(new String[] {"one", "acquired"}, new String[] {"two", "transitions"})) {
      ctx.link().await(ctx.link().commands().hset(ctx.keys().lease(damage[0]), damage[1], "x"), "test");
    }
    List<java.util.Optional<Lease>> answers = store.renewAll(List.of(
        new LeaseRenewal("one", "a", one.token(), TTL), new LeaseRenewal("two", "a", two.token(), TTL)));
    assertThat(answers).containsExactly(Optional.empty(), Optional.empty());
    assertThat(store.problems()).extracting(p -> p.location())
        .containsExactlyInAnyOrder(ctx.keys().lease("one"), ctx.keys().lease("two"));
    assertThat(store.renew("one", "a", one.token(), TTL)).isEmpty();
  }

  private void harnessDamage(String lease) {
    RedisHarness.INSTANCE.damageLease(store, lease);
  }

  @Test
  void anUnreadableHistoryEntryIsReportedOnceAndSkipped() {
    store.register(plain("a", 1));
    String bad = ctx.link().await(ctx.link().commands().xadd(ctx.keys().beats("a"), "seq", "x"), "test");
    store.record(plain("a", 2));
    assertThat(store.history("a", 10)).extracting(Heartbeat::sequence).containsExactly(2L, 1L);
    store.history("a", 10);
    assertThat(store.problems()).extracting(p -> p.location())
        .containsExactly(ctx.keys().beats("a") + "#" + bad);
  }

  @Test
  void neitherTheFencingCounterNorTheLeaseExpireInRedis() {
    Lease lease = store.tryAcquire("leader", "a", TTL).orElseThrow();
    store.renewAll(List.of(new LeaseRenewal("leader", "a", lease.token(), TTL)));
    assertThat(ctx.link().await(ctx.link().commands().pttl(ctx.keys().fence("leader")), "test"))
        .isEqualTo(-1L);
    assertThat(ctx.link().await(ctx.link().commands().pttl(ctx.keys().lease("leader")), "test"))
        .as("expiry is judged from the record, which stays until released or retaken")
        .isEqualTo(-1L);
  }

  @Test
  void registriesShrinkWhenAnAgentIsForgottenOrALeaseReleasedAndTheFencingCounterStays() {
    store.register(plain("gone", 1));
    store.register(plain("kept", 1));
    assertThat(store.forget("gone")).isTrue();
    assertThat(members(ctx.keys().agents())).containsExactly("kept");

    Lease lease = store.tryAcquire("released", "a", TTL).orElseThrow();
    store.tryAcquire("held", "a", TTL).orElseThrow();
    assertThat(store.release("released", "b", lease.token())).as("not the holder").isFalse();
    assertThat(members(ctx.keys().leases())).containsExactlyInAnyOrder("released", "held");
    assertThat(store.release("released", "a", lease.token())).isTrue();
    assertThat(members(ctx.keys().leases())).containsExactly("held");
    assertThat(ctx.link().await(ctx.link().commands().exists(ctx.keys().fence("released")), "test"))
        .as("the fencing counter is never dropped").isEqualTo(1L);
    Lease again = store.tryAcquire("released", "c", TTL).orElseThrow();
    assertThat(again.token()).isGreaterThan(lease.token());
    assertThat(members(ctx.keys().leases())).containsExactlyInAnyOrder("released", "held");
  }

  private List<String> members(String registry) {
    return List.copyOf(ctx.link().await(ctx.link().commands().smembers(registry), "test"));
  }

  @Test
  void aFirstTokenIsSeededFromTheServerClockInMicroseconds() {
    Lease lease = store.tryAcquire("leader", "a", TTL).orElseThrow();
    Instant seed = Records.instant(lease.token());
    assertThat(seed).isEqualTo(lease.acquiredAt());
    assertThat(store.tryAcquire("other", "a", TTL).orElseThrow().token()).isGreaterThan(lease.token());
  }

  @Test
  void tokensGrowEvenWhenTheCounterIsAnOlderCopyOrGone() {
    Lease first = store.tryAcquire("leader", "a", TTL).orElseThrow();
    assertThat(store.release("leader", "a", first.token())).isTrue();
    ctx.link().await(ctx.link().commands().hset(ctx.keys().fence("leader"), "token",
        Long.toString(first.token() - 1_000_000)), "roll the counter back, as a stale replica");
    Lease second = store.tryAcquire("leader", "b", TTL).orElseThrow();
    assertThat(second.token()).isGreaterThan(first.token());
    assertThat(store.release("leader", "b", second.token())).isTrue();
    ctx.link().await(ctx.link().commands().del(ctx.keys().fence("leader")), "lose the counter");
    assertThat(store.tryAcquire("leader", "c", TTL).orElseThrow().token())
        .isGreaterThan(second.token());
  }

  @Test
  void theClockIsTheServersPlusTheTestOffset() {
    assertThat(Duration.between(Instant.now(), store.now()).abs()).isLessThan(Duration.ofSeconds(5));
    time.advance(Duration.ofHours(1));
    assertThat(Duration.between(Instant.now().plus(Duration.ofHours(1)), store.now()).abs())
        .isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aTtlAboveTheMaximumIsRejectedNamingIt() {
    Duration tooLong = Duration.ofMinutes(11);
    assertThatThrownBy(() -> store.tryAcquire("x", "a", tooLong))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl")
        .hasMessageContaining("PT11M");
    assertThatThrownBy(() -> store.renewAll(List.of(new LeaseRenewal("x", "a", 1, tooLong))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
  }

  @Test
  void settingsAndUrisAreCheckedNamingTheValue() {
    assertThatThrownBy(() -> RedisStore.builder("http://127.0.0.1:6379"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://127.0.0.1:6379");
    assertThatThrownBy(() -> RedisStore.builder("redis://127.0.0.1:6379/db"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("database");
    assertThatThrownBy(() -> RedisStore.builder("redis://127.0.0.1").keyPrefix("a{b}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyPrefix");
    assertThatThrownBy(() -> RedisStore.builder("redis://127.0.0.1").maxLeaseTtl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLeaseTtl");
    assertThatThrownBy(() -> RedisStore.builder("redis://127.0.0.1").historyLimit(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("historyLimit");
    assertThatThrownBy(() -> new RedisStoreProvider().open(URI.create("redis://127.0.0.1:6379?db=1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("db=1");
    assertThatThrownBy(() -> dev.heartbeat.Heartbeats.openStore("redis:"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host")
        .hasMessageContaining("got 'redis:'");
  }

  @Test
  void aDatabaseTheServerDoesNotHaveFailsWithTheServersWords() {
    assertThatThrownBy(() -> RedisStore.builder("redis://127.0.0.1:6379/99").build())
        .isInstanceOf(HeartbeatStoreException.class)
        .hasMessageContaining("database 99")
        .hasMessageContaining("DB index is out of range");
  }

  @Test
  void aPortThatIsNotANumberIsNamedAsThePort() {
    for (String uri : List.of("redis://127.0.0.1:notaport", "redis://127.0.0.1:70000/0")) {
      assertThatThrownBy(() -> RedisStore.builder(uri)).as(uri)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("port must be a number from 1 to 65535")
          .hasMessageContaining(uri.substring(uri.lastIndexOf(':') + 1).replace("/0", ""))
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("must name a host"));
    }
  }

  @Test
  void aBadUriParameterIsNamedAsTheUserWroteIt() {
    RedisStoreProvider provider = new RedisStoreProvider();
    for (String query : List.of("?prefix=", "?prefix=a%7Bb")) {
      assertThatThrownBy(() -> provider.open(URI.create("redis://127.0.0.1:6379" + query)))
          .as(query).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("uri parameter prefix")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("keyPrefix"));
    }
  }

  @Test
  void waitForReplicasIsCheckedNamingTheValue() {
    RedisStoreBuilder builder = RedisStore.builder("redis://127.0.0.1");
    assertThatThrownBy(() -> builder.waitForReplicas(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replicas")
        .hasMessageContaining("got 0");
    assertThatThrownBy(() -> builder.waitForReplicas(1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout")
        .hasMessageContaining("PT0S");
    assertThatThrownBy(() -> builder.waitForReplicas(1, Duration.ofNanos(999_999)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 ms");
    assertThatThrownBy(() -> builder.waitForReplicas(1, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    String unreachable = "redis://127.0.0.1:" + RedisServer.freePort();
    assertThatThrownBy(() -> RedisStore.builder(unreachable).commandTimeout(Duration.ofSeconds(2))
        .waitForReplicas(1, Duration.ofSeconds(2)).build())
        .as("checked before connecting").isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("waitForReplicas timeout PT2S").hasMessageContaining("commandTimeout PT2S");
    io.lettuce.core.cluster.RedisClusterClient cluster =
        io.lettuce.core.cluster.RedisClusterClient.create("redis://127.0.0.1:6379");
    try {
      assertThatThrownBy(() -> RedisStore.builder(cluster).waitForReplicas(1, Duration.ofSeconds(1)))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("Redis Cluster");
    } finally {
      cluster.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void aBadUriIsNamedWithoutItsPassword() {
    for (String bad : List.of("redis://:secret@127.0.0.1/abc", "redis://user:secret@127.0.0.1:99999",
        "http://:secret@127.0.0.1:6379", "redis://:secret@/0", "redis://:secret@127.0.0.1:notaport",
        "redis://:secret@127.0.0.1:6379/0 x")) {
      assertThatThrownBy(() -> RedisStore.builder(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uri")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }
  }

  @Test
  void replicaUriParametersAreCheckedNamingTheValue() {
    String base = "redis://:secret@127.0.0.1:" + RedisServer.freePort() + "/0?prefix=p";
    RedisStoreProvider provider = new RedisStoreProvider();
    for (String[] bad : new String[][] {
        {"&replicas=0", "replicas must be a whole number of at least 1, got '0'"},
        {"&replicas=two", "got 'two'"},
        {"&replicas=1&replicaTimeout=soon", "replicaTimeout must be a duration"},
        {"&replicas=1&replicaTimeout=0ms", "replicaTimeout must be positive, got '0ms'"},
        {"&replicaTimeout=500ms", "replicaTimeout needs replicas=N"},
        {"&replicas=1&replicas=2", "replicas must be given once"},
        {"&replicas", "replicas must be given once, as replicas=value"},
        {"&replica=1", "uri parameter 'replica' is unknown (known: prefix, replicas,"}}) {
      assertThatThrownBy(() -> provider.open(URI.create(base + bad[0])))
          .as(bad[0]).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad[1])
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }
    assertThatThrownBy(() -> provider.open(URI.create(base + "&replicas=1&replicaTimeout=5s")))
        .as("not shorter than the default command timeout").isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("commandTimeout");
    assertThat(RedisStoreProvider.duration("replicaTimeout", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(RedisStoreProvider.duration("replicaTimeout", "2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(RedisStoreProvider.duration("replicaTimeout", "1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(RedisStoreProvider.duration("replicaTimeout", "PT0.25S")).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void anUnreachableServerFailsNamingTheStoreAndTheOperation() {
    String uri = "redis://127.0.0.1:" + RedisServer.freePort();
    assertThatThrownBy(() -> RedisStore.builder(uri).build())
        .isInstanceOf(HeartbeatStoreException.class)
        .satisfies(e -> assertThat(((HeartbeatStoreException) e).operation()).isEqualTo("connect"))
        .hasMessageContaining(uri.substring("redis://".length()));
  }

  @Test
  void aFreshPrefixElectsAtOnceAndOnlyWhenItHasNoKeyAtAll() {
    String prefix = "hbt-fresh-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      try (RedisStore fresh = RedisStore.builder("redis://127.0.0.1:6379").keyPrefix(prefix)
          .freshPrefixWithoutQuarantine().build()) {
        assertThat(fresh.tryAcquire("leader", "a", TTL)).as("no first-start quarantine").isPresent();
      }
      assertThatThrownBy(() -> RedisStore.builder("redis://127.0.0.1:6379").keyPrefix(prefix)
          .freshPrefixWithoutQuarantine().build()).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("'" + prefix + "' already has keys");
      try (RedisStore later = RedisStore.builder("redis://127.0.0.1:6379").keyPrefix(prefix)
          .build()) {
        assertThat(later.tryAcquire("other", "b", TTL)).as("the marker is there").isPresent();
      }
      String lone = prefix + "-lone";
      ctx.link().await(ctx.link().commands().hset(new Keys(lone, false).fence("x"), "token", "7"),
          "a prefix whose only key is a fencing counter");
      assertThatThrownBy(() -> RedisStore.builder("redis://127.0.0.1:6379").keyPrefix(lone)
          .freshPrefixWithoutQuarantine().build()).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(lone);
    } finally {
      unlink(prefix);
    }
  }

  @Test
  void openExistingWritesNothingAndNeedsAKeyOfThePrefix() {
    String prefix = "hbt-existing-" + UUID.randomUUID().toString().substring(0, 8);
    String uri = "redis://127.0.0.1:6379/0?prefix=" + prefix;
    try {
      assertThatThrownBy(() -> Heartbeats.openExistingStore(uri))
          .isInstanceOf(dev.heartbeat.StoreNotFoundException.class).hasMessageContaining(prefix);
      assertThat(unlink(prefix)).as("nothing was created").isZero();
      try (HeartbeatStore writer = Heartbeats.openStore(uri)) {
        writer.register(plain("a", 1));
      }
      try (HeartbeatStore reader = Heartbeats.openExistingStore(uri)) {
        assertThat(reader.agents()).extracting(Heartbeat::agentId).containsExactly("a");
      }
      Keys keys = new Keys(prefix, false);
      assertThat(ctx.link().await(ctx.link().commands().exists(keys.epoch("")), "test"))
          .as("no epoch marker: opening started no quarantine").isZero();
    } finally {
      unlink(prefix);
    }
  }

  private static long unlink(String prefix) {
    io.lettuce.core.RedisClient client = RedisHarness.client("redis://127.0.0.1:6379");
    try {
      return RedisKeys.unlinkAll(client, prefix);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void aUriOpensAStoreThroughTheServiceLoader() {
    String prefix = "hbt-uri-" + UUID.randomUUID().toString().substring(0, 8);
    try (HeartbeatStore opened = Heartbeats.openStore("redis://127.0.0.1:6379/0?prefix=" + prefix)) {
      assertThat(opened).isInstanceOf(RedisStore.class);
      assertThat(opened.describe()).contains("127.0.0.1:6379/0").contains(prefix);
      assertThat(opened.tryAcquire("x", "a", TTL)).as("first sight of the prefix: quarantined")
          .isEmpty();
    } finally {
      io.lettuce.core.RedisClient client = RedisHarness.client("redis://127.0.0.1:6379");
      try {
        RedisKeys.unlinkAll(client, prefix);
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }
  }
}
