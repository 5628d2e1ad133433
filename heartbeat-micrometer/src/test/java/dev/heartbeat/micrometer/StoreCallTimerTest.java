package dev.heartbeat.micrometer;

import static dev.heartbeat.micrometer.MetricsRig.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.StoreCallListener;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.FaultyStore;
import dev.heartbeat.tck.ForwardingStore;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code heartbeat.store.calls{operation, result}}: the store latency as a Prometheus histogram,
 * measured on the engine's clock, so exact in a test that drives it.
 */
class StoreCallTimerTest {
  private static final String OK = "operation=\"try_acquire\",result=\"succeeded\"";
  private static final String LATE = "operation=\"lease\",result=\"timed_out\"";

  private final MetricsRig rig = new MetricsRig();
  private final SlowStore slow = new SlowStore(rig.store, rig.time);
  private final FaultyStore link = new FaultyStore(slow);
  private final Heartbeats hb = Heartbeats.builder().store(link).time(rig.time).holderId("s1")
      .callTimeout(Duration.ofSeconds(2)).closeTimeout(Duration.ofSeconds(2)).build();

  @AfterEach
  void close() {
    link.heal();
    hb.close();
    rig.close();
  }

  /** Takes {@code latency} of the test's clock on each {@code tryAcquire}. */
  private static final class SlowStore extends ForwardingStore {
    private final ManualTime time;
    volatile Duration latency = Duration.ZERO;

    SlowStore(dev.heartbeat.spi.HeartbeatStore store, ManualTime time) {
      super(store);
      this.time = time;
    }

    @Override
    protected <T> T around(String operation, Supplier<T> call) {
      if (operation.equals("tryAcquire")) {
        time.advance(latency);
      }
      return call.get();
    }
  }

  @Test
  void storeLatencyIsAHistogramByOperationAndResultWithExactValues() throws Exception {
    try (HeartbeatMetrics metrics = HeartbeatMetrics.builder(hb)
        .refreshEvery(Duration.ofHours(1)).build()) {
      metrics.bindTo(rig.registry);
      slow.latency = Duration.ofMillis(40);
      assertThat(hb.leases().tryAcquire("a")).isPresent();
      slow.latency = Duration.ofMillis(300);
      assertThat(hb.leases().tryAcquire("b")).isPresent();

      String s = rig.scrape();
      assertThat(s).contains("# TYPE heartbeat_store_calls_seconds histogram");
      assertThat(value(s, "heartbeat_store_calls_seconds_count{" + OK + "}")).isEqualTo(2);
      assertThat(value(s, "heartbeat_store_calls_seconds_sum{" + OK + "}")).isEqualTo(0.34);
      assertThat(value(s, "heartbeat_store_calls_seconds_max{" + OK + "}")).isEqualTo(0.3);
      assertThat(value(s, bucket("0.025", OK))).isZero();
      assertThat(value(s, bucket("0.05", OK))).isEqualTo(1);
      assertThat(value(s, bucket("0.25", OK))).isEqualTo(1);
      assertThat(value(s, bucket("0.5", OK))).isEqualTo(2);
      assertThat(value(s, bucket("+Inf", OK))).isEqualTo(2);
      assertThat(value(s, bucket("0.001", OK))).isZero();
      // the default buckets, 1 ms to 10 s, and the infinite one
      assertThat(s.lines().filter(l -> l.startsWith("heartbeat_store_calls_seconds_bucket{")
          && l.contains(OK)).count())
          .isEqualTo(HeartbeatMetrics.DEFAULT_LATENCY_BUCKETS.size() + 1);
      // no id of a lease or an agent in any tag of the timer
      assertThat(s.lines().filter(l -> l.startsWith("heartbeat_store_calls_seconds")))
          .allSatisfy(l -> assertThat(l).doesNotContain("\"a\"").doesNotContain("\"b\""));

      // a failure
      link.fail();
      assertThatThrownBy(() -> hb.leases().tryAcquire("c"))
          .isInstanceOf(HeartbeatStoreException.class);
      assertThat(value(rig.scrape(), "heartbeat_store_calls_seconds_count{operation="
          + "\"try_acquire\",result=\"failed\"}")).isEqualTo(1);

      // a call its caller gave up on, counted with its whole latency once it returns
      link.hang();
      int before = link.calls();
      CompletableFuture<Throwable> caller = new CompletableFuture<>();
      Thread waiting = Thread.ofPlatform().start(() -> {
        try {
          hb.leases().current("a");
          caller.complete(null);
        } catch (HeartbeatStoreException e) {
          caller.complete(e);
        }
      });
      Await.until("the read hangs", () -> link.calls() > before);
      // the caller's deadline is set before it parks: moving time before that would move it too
      Await.until("the caller waits on the clock", () -> rig.time.isParked(waiting));
      rig.time.advance(Duration.ofSeconds(3)); // past the call timeout of 2 s
      assertThat(caller.get(30, TimeUnit.SECONDS)).hasMessageContaining("no answer within PT2S");
      assertThat(rig.scrape()).doesNotContain(LATE);
      link.heal();
      Await.until("the late answer is timed", () -> rig.scrape().contains(LATE));
      String late = rig.scrape();
      assertThat(value(late, "heartbeat_store_calls_seconds_count{" + LATE + "}")).isEqualTo(1);
      assertThat(value(late, "heartbeat_store_calls_seconds_sum{" + LATE + "}")).isEqualTo(3);
      assertThat(value(late, bucket("2.5", LATE))).isZero();
      assertThat(value(late, bucket("5.0", LATE))).isEqualTo(1);
    }
    assertThat(rig.registry.getMeters()).as("removed on close").isEmpty();
    assertThat(hb.leases().tryAcquire("d")).isPresent();
    assertThat(rig.registry.getMeters()).as("no meter after close").isEmpty();
  }

  @Test
  void bucketsCanBeChosenAndBadOnesAreRefusedNamingTheValue() {
    try (HeartbeatMetrics metrics = HeartbeatMetrics.builder(hb)
        .latencyBuckets(Duration.ofMillis(100), Duration.ofSeconds(2))
        .refreshEvery(Duration.ofHours(1)).build()) {
      metrics.bindTo(rig.registry);
      slow.latency = Duration.ofMillis(150);
      assertThat(hb.leases().tryAcquire("a")).isPresent();
      String s = rig.scrape();
      assertThat(value(s, bucket("0.1", OK))).isZero();
      assertThat(value(s, bucket("2.0", OK))).isEqualTo(1);
      assertThat(s.lines().filter(l -> l.startsWith("heartbeat_store_calls_seconds_bucket{")
          && l.contains(OK)).count()).isEqualTo(3);
    }
    HeartbeatMetricsBuilder b = HeartbeatMetrics.builder(hb);
    assertThatThrownBy(() -> b.latencyBuckets()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("buckets must hold 1 to 50 durations, got 0 of them");
    assertThatThrownBy(() -> b.latencyBuckets((Duration[]) null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got null");
    assertThatThrownBy(() -> b.latencyBuckets(Duration.ofSeconds(1), Duration.ofMillis(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("buckets must be positive and increasing, got [PT1S, PT0.005S] "
            + "(at index 1: PT0.005S)");
    assertThatThrownBy(() -> b.latencyBuckets(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 0: PT0S");
  }

  @Test
  void aBinderFindingNoListenerPlaceLeavesNothingRegistered() {
    List<StoreCallListener.Subscription> others = new ArrayList<>();
    for (int i = 0; i < Heartbeats.MAX_STORE_CALL_LISTENERS; i++) {
      others.add(hb.onStoreCall((op, result, latency) -> { }));
    }
    HeartbeatMetrics metrics = HeartbeatMetrics.builder(hb).refreshEvery(Duration.ofHours(1))
        .build();
    assertThatThrownBy(() -> metrics.bindTo(rig.registry))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("store call listeners");
    assertThat(rig.registry.getMeters()).isEmpty();
    others.getFirst().close();
    metrics.bindTo(rig.registry);
    assertThat(hb.leases().tryAcquire("a")).isPresent();
    assertThat(value(rig.scrape(), "heartbeat_store_calls_seconds_count{" + OK + "}"))
        .isEqualTo(1);
    metrics.close();
    assertThat(rig.registry.getMeters()).isEmpty();
    others.forEach(StoreCallListener.Subscription::close);
  }

  private static String bucket(String le, String tags) {
    return "heartbeat_store_calls_seconds_bucket{" + tags + ",le=\"" + le + "\"}";
  }
}
