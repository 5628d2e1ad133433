package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.StoreCallListener;
import dev.heartbeat.StoreCallListener.Result;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.FaultyStore;
import dev.heartbeat.tck.ForwardingStore;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Heartbeats#onStoreCall}: every store call once it returned, its operation without ids,
 * how it ended and its latency on the engine's clock.
 */
class StoreCallListenerTest {
  private final ManualTime time = new ManualTime();
  private final MemoryStore store = new MemoryStore(time, 100);
  private final SlowStore slow = new SlowStore(store, time);
  private final FaultyStore link = new FaultyStore(slow);
  private final Heartbeats hb = Heartbeats.builder().store(link).time(time).holderId("p1")
      .callTimeout(Duration.ofSeconds(2)).closeTimeout(Duration.ofSeconds(2)).build();
  private final List<String> heard = new CopyOnWriteArrayList<>();
  private final StoreCallListener recorder =
      (op, result, latency) -> heard.add(op + " " + result + " " + latency);

  @AfterEach
  void close() {
    link.heal();
    hb.close();
  }

  /** Takes {@code latency} of the test's clock on the calls named {@code slowOp}. */
  private static final class SlowStore extends ForwardingStore {
    private final ManualTime time;
    volatile String slowOp = "";
    volatile Duration latency = Duration.ZERO;

    SlowStore(MemoryStore store, ManualTime time) {
      super(store);
      this.time = time;
    }

    @Override
    protected <T> T around(String operation, Supplier<T> call) {
      if (operation.equals(slowOp)) {
        time.advance(latency);
      }
      return call.get();
    }
  }

  @Test
  void aCallIsToldWithItsOperationResultAndLatencyOnTheEnginesClock() {
    hb.onStoreCall(recorder);
    slow.slowOp = "tryAcquire";
    slow.latency = Duration.ofMillis(250);
    assertThat(hb.leases().tryAcquire("job-lock")).isPresent();
    // told before the caller heard the answer
    assertThat(heard).containsExactly("try_acquire SUCCEEDED PT0.25S");

    link.fail();
    assertThatThrownBy(() -> hb.leases().tryAcquire("job-lock"))
        .isInstanceOf(HeartbeatStoreException.class);
    assertThat(heard).containsExactly("try_acquire SUCCEEDED PT0.25S",
        "try_acquire FAILED PT0S");
  }

  @Test
  void aCallItsCallerGaveUpOnIsToldTimedOutWithItsWholeLatencyWhenItReturns() throws Exception {
    hb.onStoreCall(recorder);
    link.hang();
    int before = link.calls();
    CompletableFuture<Throwable> caller = new CompletableFuture<>();
    Thread waiting = Thread.ofPlatform().start(() -> {
      try {
        hb.leases().current("job-lock");
        caller.complete(null);
      } catch (HeartbeatStoreException e) {
        caller.complete(e);
      }
    });
    Await.until("the read hangs", () -> link.calls() > before);
    // the caller's deadline is set before it parks: moving time before that would move it too
    Await.until("the caller waits on the clock", () -> time.isParked(waiting));
    time.advance(Duration.ofSeconds(3)); // past the call timeout of 2 s
    assertThat(caller.get(30, TimeUnit.SECONDS)).hasMessageContaining("no answer within PT2S");
    assertThat(heard).as("not returned yet").isEmpty();

    link.heal();
    Await.until("the late answer is told", () -> !heard.isEmpty());
    assertThat(heard).containsExactly("lease TIMED_OUT PT3S");
  }

  @Test
  void aSharedRegistryReadItsCallerGaveUpOnIsToldTimedOut() throws Exception {
    hb.onStoreCall(recorder);
    link.hang();
    int before = link.calls();
    CompletableFuture<Throwable> caller = new CompletableFuture<>();
    Thread waiting = Thread.ofPlatform().start(() -> {
      try {
        hb.registry().agents();
        caller.complete(null);
      } catch (HeartbeatStoreException e) {
        caller.complete(e);
      }
    });
    Await.until("the read hangs", () -> link.calls() > before);
    // the caller's deadline is set before it parks: moving time before that would move it too
    Await.until("the caller waits on the clock", () -> time.isParked(waiting));
    time.advance(Duration.ofSeconds(2));
    assertThat(caller.get(30, TimeUnit.SECONDS)).hasMessageContaining("no answer within PT2S");
    link.heal();
    Await.until("the late answer is told", () -> !heard.isEmpty());
    assertThat(heard).containsExactly("agents TIMED_OUT PT2S");
  }

  @Test
  void beatsAreToldWithoutTheAgentsIdAndAClosedSubscriptionHearsNoMore() {
    StoreCallListener.Subscription sub = hb.onStoreCall(recorder);
    HeartbeatAgent agent = hb.agent("worker-7").interval(Duration.ofSeconds(1)).start();
    Await.until("registered", () -> agent.diagnostics().beats().succeeded() == 1);
    assertThat(heard).contains("register SUCCEEDED PT0S");
    time.advance(Duration.ofSeconds(1));
    Await.until("a beat", () -> agent.diagnostics().beats().succeeded() == 2);
    assertThat(heard).contains("record_all SUCCEEDED PT0S")
        .allSatisfy(h -> assertThat(h).doesNotContain("worker-7"));

    sub.close();
    sub.close(); // idempotent
    int told = heard.size();
    assertThat(hb.leases().tryAcquire("x")).isPresent();
    assertThat(heard).hasSize(told);
  }

  @Test
  void aThrowingListenerNeitherFailsTheCallNorSilencesTheOthers() {
    hb.onStoreCall((op, result, latency) -> {
      throw new IllegalStateException("listener bug");
    });
    hb.onStoreCall((op, result, latency) -> {
      throw new AssertionError("worse: an error");
    });
    hb.onStoreCall(recorder);
    assertThat(hb.leases().tryAcquire("job-lock")).isPresent();
    assertThat(hb.leases().tryAcquire("other")).isPresent();
    assertThat(heard).containsExactly("try_acquire SUCCEEDED PT0S",
        "try_acquire SUCCEEDED PT0S");
  }

  @Test
  void listenersAreBoundedAndANullOneIsRefusedByName() {
    List<StoreCallListener.Subscription> subs = new ArrayList<>();
    for (int i = 0; i < Heartbeats.MAX_STORE_CALL_LISTENERS; i++) {
      subs.add(hb.onStoreCall(recorder));
    }
    assertThatThrownBy(() -> hb.onStoreCall(recorder)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at most 16 store call listeners");
    subs.get(0).close();
    hb.onStoreCall(recorder);
    assertThatThrownBy(() -> hb.onStoreCall(null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("listener");
  }

  @Test
  void operationsAreSnakeCaseMethodNamesWithoutArguments() {
    assertThat(CallListeners.snakeCase("tryAcquire(job-lock)")).isEqualTo("try_acquire");
    assertThat(CallListeners.snakeCase("renewAll(3 leases)")).isEqualTo("renew_all");
    assertThat(CallListeners.snakeCase("agents()")).isEqualTo("agents");
    assertThat(CallListeners.snakeCase("endTask(q/t1)")).isEqualTo("end_task");
    assertThat(CallListeners.snakeCase("beat(w1)")).isEqualTo("beat");
  }
}
