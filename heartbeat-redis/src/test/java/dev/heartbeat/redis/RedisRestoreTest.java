package dev.heartbeat.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Lease;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Redis that crashes and restarts from an older copy of its data (an RDB snapshot, an AOF that
 * missed its last second) keeps its epoch marker but not the latest lease writes. On a private
 * server that the test snapshots ({@code SAVE}), writes to, kills (SIGKILL) and restarts from the
 * snapshot: the store notices the restart (the server's {@code run_id} changed) and hands out no
 * lease until every holder of the lost writes has passed its deadline; the quarantine lasts the
 * longest TTL granted under the marker, not the maximum of whichever process noticed first.
 */
class RedisRestoreTest {
  private static final Duration MAX_TTL = Duration.ofSeconds(60);
  private static final Duration TTL = Duration.ofSeconds(15);

  private final ManualTime time = new ManualTime();
  private RedisServer server;
  private RedisStore a;

  @BeforeEach
  void start() {
    server = RedisServer.start();
    a = builder(MAX_TTL).build();
    assertThat(a.tryAcquire("warm-up", "a", TTL)).as("first start: quarantined").isEmpty();
    time.advance(MAX_TTL);
  }

  @AfterEach
  void stop() {
    a.close();
    server.close();
  }

  private RedisStoreBuilder builder(Duration maxTtl) {
    return RedisStore.builder(server.uri()).keyPrefix("restore").maxLeaseTtl(maxTtl)
        .commandTimeout(Duration.ofSeconds(2)).clockOffset(time::elapsed);
  }

  @Test
  void aRestartFromASnapshotHandsOutNoLeaseBeforeTheDeadlinesOfTheLostWrites() {
    Lease one = a.tryAcquire("one", "a", TTL).orElseThrow();
    server.save(); // the snapshot holds "one" until one.expiresAt()
    time.advance(Duration.ofSeconds(10));
    Lease renewed = a.renew("one", "a", one.token(), TTL).orElseThrow();
    Lease two = a.tryAcquire("two", "a", TTL).orElseThrow();
    server.restart(); // from the snapshot: the renewal of "one" and all of "two" are lost

    try (RedisStore b = builder(MAX_TTL).build()) {
      assertThat(answer(() -> b.tryAcquire("two", "b", TTL)))
          .as("a lease lost in the restart is not free while its holder may act").isEmpty();
      time.advance(Duration.ofSeconds(6));
      assertThat(b.now()).isAfter(one.expiresAt());
      assertThat(b.tryAcquire("one", "b", TTL))
          .as("expired in the snapshot, but renewed before the crash").isEmpty();
      time.advance(Duration.ofSeconds(4)); // 5 s before the holder's deadlines
      assertThat(b.now()).isBefore(renewed.expiresAt()).isBefore(two.expiresAt());
      assertThat(b.tryAcquire("one", "b", TTL)).isEmpty();
      assertThat(b.tryAcquire("two", "b", TTL)).isEmpty();

      time.advance(MAX_TTL.minusSeconds(5));
      Lease oneAfter = b.tryAcquire("one", "b", TTL).orElseThrow();
      Lease twoAfter = b.tryAcquire("two", "b", TTL).orElseThrow();
      assertThat(oneAfter.token()).as("tokens never go back").isGreaterThan(renewed.token());
      assertThat(twoAfter.token()).isGreaterThan(two.token());
    }
  }

  @Test
  void theQuarantineLastsTheLongestTtlGrantedNotTheMaximumOfTheProcessThatNoticed() {
    Duration longTtl = MAX_TTL;
    a.tryAcquire("before", "a", longTtl).orElseThrow();
    server.save(); // the marker in the snapshot knows a 60 s lease was granted
    Lease lost = a.tryAcquire("lost", "a", longTtl).orElseThrow();
    server.restart();

    Duration shortMax = Duration.ofSeconds(10);
    try (RedisStore c = builder(shortMax).build()) {
      assertThat(answer(() -> c.tryAcquire("lost", "c", shortMax))).isEmpty();
      time.advance(shortMax.multipliedBy(3));
      assertThat(c.now()).isBefore(lost.expiresAt());
      assertThat(c.tryAcquire("lost", "c", shortMax))
          .as("30 s after the restart, the 60 s holder may still act").isEmpty();
      time.advance(longTtl);
      assertThat(c.tryAcquire("lost", "c", shortMax)).isPresent();
    }
  }

  /** The first answer once the client has reconnected (a bounded wait for an outcome). */
  static <T> T answer(Supplier<T> call) {
    AtomicReference<T> out = new AtomicReference<>();
    Await.until("an answer after the restart", () -> {
      try {
        out.set(call.get());
        return true;
      } catch (HeartbeatStoreException e) {
        return false;
      }
    }, Duration.ofSeconds(30));
    return out.get();
  }
}
