package dev.heartbeat.redis;

import static dev.heartbeat.tck.Beats.plain;
import static dev.heartbeat.tck.Beats.progress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.ManualTime;
import io.lettuce.core.Consumer;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The consumer-group feed of beats on the Redis at 127.0.0.1:6379. */
class RedisFeedTest {
  private final ManualTime time = new ManualTime();
  private final RedisStore store = (RedisStore) RedisHarness.INSTANCE.open(time, 20);
  private final List<Heartbeat> seen = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void deliversEveryBeatAsStored() {
    try (RedisHeartbeatFeed feed = RedisHeartbeatFeed.start(store, "monitor", "m1", seen::add)) {
      Heartbeat first = store.register(plain("a", 1));
      time.advance(Duration.ofSeconds(5));
      Heartbeat second = store.record(progress("a", 2, "t-1", "1/3")).orElseThrow();
      Await.until("two beats", () -> seen.size() == 2);
      assertThat(seen).containsExactly(first, second);
    }
  }

  @Test
  void aRestartedConsumerResumesWhereItLeft() {
    try (RedisHeartbeatFeed feed = RedisHeartbeatFeed.start(store, "monitor", "m1", seen::add)) {
      store.register(plain("a", 1));
      store.record(plain("a", 2));
      Await.until("two beats", () -> seen.size() == 2);
    }
    store.record(plain("a", 3));
    store.record(plain("a", 4));
    try (RedisHeartbeatFeed feed = RedisHeartbeatFeed.start(store, "monitor", "m1", seen::add)) {
      Await.until("four beats", () -> seen.size() == 4);
    }
    assertThat(seen).extracting(Heartbeat::sequence).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void entriesACrashedConsumerLeftPendingAreDeliveredAgain() {
    RedisHeartbeatFeed.start(store, "monitor", "m1", seen::add).close();
    store.register(plain("a", 1));
    store.record(plain("a", 2));
    crashedRead("m1");
    try (RedisHeartbeatFeed feed = RedisHeartbeatFeed.start(store, "monitor", "m1", seen::add)) {
      Await.until("own pending entries again", () -> seen.size() == 2);
    }
    store.record(plain("a", 3));
    crashedRead("dead");
    try (RedisHeartbeatFeed feed = RedisHeartbeatFeed.start(store, "monitor", "m2",
        Duration.ofMillis(1), seen::add)) {
      Await.until("claimed from the dead consumer", () -> seen.size() == 3);
    }
    assertThat(seen).extracting(Heartbeat::sequence).containsExactly(1L, 2L, 3L);
  }

  @Test
  void anUnreadableEntryIsReportedAndSkipped() {
    try (RedisHeartbeatFeed feed = RedisHeartbeatFeed.start(store, "monitor", "m1", seen::add)) {
      Context ctx = store.context();
      String bad = ctx.link().await(ctx.link().commands().xadd(ctx.keys().feed(), "agent", "x",
          "seq", "garbage"), "test");
      store.register(plain("a", 1));
      Await.until("the good beat", () -> seen.size() == 1);
      assertThat(store.problems()).extracting(p -> p.location())
          .containsExactly(ctx.keys().feed() + "#" + bad);
    }
  }

  @Test
  void theStoresFeedDeliversTheBeatsRecordedFromNowOn() {
    store.register(plain("a", 1));
    try (dev.heartbeat.spi.HeartbeatFeed feed = store.feed().orElseThrow()) {
      store.record(plain("a", 2));
      feed.subscribe(seen::add);
      store.record(progress("a", 3, "t", "p"));
      Await.until("the newest beat", () -> seen.stream().anyMatch(h -> h.sequence() == 3));
      assertThat(seen).as("from the feed's opening on, newest last (2 may be coalesced into 3)")
          .extracting(Heartbeat::sequence).isSubsetOf(2L, 3L).endsWith(3L).doesNotHaveDuplicates();
      assertThatThrownBy(() -> feed.subscribe(seen::add)).isInstanceOf(IllegalStateException.class);
    }
    Context ctx = store.context();
    assertThat(ctx.link().await(ctx.link().commands().xinfoGroups(ctx.keys().feed()), "test"))
        .as("the tail leaves no group behind").isEmpty();
  }

  @Test
  void theStoresFeedCoalescesAFloodIntoOneCallPerAgentPerRound() {
    store.register(plain("a", 0));
    store.register(plain("b", 0));
    List<dev.heartbeat.spi.Beat> flood = new java.util.ArrayList<>();
    for (long seq = 1; seq <= 3000; seq++) {
      flood.add(plain("a", seq));
      flood.add(plain("b", seq));
    }
    try (dev.heartbeat.spi.HeartbeatFeed feed = store.feed().orElseThrow()) {
      feed.subscribe(seen::add);
      for (int from = 0; from < flood.size(); from += 1000) {
        store.recordAll(flood.subList(from, from + 1000));
      }
      Await.until("the newest beat of each agent", () -> seen.stream()
          .filter(h -> h.sequence() == 3000).count() == 2);
      assertThat(((RedisHeartbeatFeed) feed).coalesced()).isEqualTo(6000 - seen.size());
    }
    assertThat(seen.size()).as("listener calls for a flood of 6000 beats: one per agent per"
        + " round (rounds 100 ms apart), not one per beat").isLessThan(600);
    for (String agent : List.of("a", "b")) {
      assertThat(seen.stream().filter(h -> h.agentId().equals(agent)).map(Heartbeat::sequence)
          .toList()).as("each agent's beats in order").isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void aGroupFeedStillDeliversEveryEntry() {
    try (RedisHeartbeatFeed feed = RedisHeartbeatFeed.start(store, "monitor", "m1", seen::add)) {
      store.register(plain("a", 0));
      store.recordAll(java.util.stream.LongStream.rangeClosed(1, 300).mapToObj(i -> plain("a", i))
          .toList());
      Await.until("every beat", () -> seen.size() == 301);
      assertThat(feed.coalesced()).isZero();
    }
  }

  @Test
  void aStoreWithoutFeedOffersNone() {
    RedisStore quiet = RedisHarness.INSTANCE.builder(time).feedLength(0).trustEmptyServer().build();
    try {
      assertThat(quiet.feed()).isEmpty();
      assertThatThrownBy(() -> RedisHeartbeatFeed.start(quiet, "g", "c", seen::add))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("feedLength");
      quiet.register(plain("a", 1));
      Context ctx = quiet.context();
      assertThat(ctx.link().await(ctx.link().commands().exists(ctx.keys().feed()), "test")).isZero();
    } finally {
      quiet.close();
    }
  }

  @Test
  void argumentsAreChecked() {
    assertThatThrownBy(() -> RedisHeartbeatFeed.start(store, " ", "m1", seen::add))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group");
    assertThatThrownBy(() -> RedisHeartbeatFeed.start(store, "g", "m1", Duration.ZERO, seen::add))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("claimIdle");
  }

  /** Reads every new entry as {@code consumer} without acknowledging: a monitor that died. */
  private void crashedRead(String consumer) {
    Context ctx = store.context();
    ctx.link().await(ctx.link().commands().xreadgroup(Consumer.from("monitor", consumer),
        XReadArgs.Builder.count(100), StreamOffset.lastConsumed(ctx.keys().feed())), "test");
  }
}
