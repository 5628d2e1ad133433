package dev.heartbeat.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.Lease;
import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.ForwardingStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The server's calls run on virtual threads, and it holds at most {@code maxCalls} calls (streams
 * included) at once, whatever the number of connections: one more is refused at once with
 * {@code RESOURCE_EXHAUSTED}, naming the limit, and is served again once a call ended. So the
 * threads the server runs are bounded by its calls (gRPC's default executor started a platform
 * thread per blocking store call: 9,461 of them at 10,000 agents in {@code GrpcLoadRun}).
 */
class CallLimitTest {

  @Test
  void callsRunOnVirtualThreadsAndTheServerHoldsAtMostItsCallLimit() throws Exception {
    CountDownLatch entered = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean platform = new AtomicBoolean();
    try (MemoryStore memory = new MemoryStore();
        HeartbeatStore holding = new ForwardingStore(memory) {
          @Override
          protected <T> T around(String operation, Supplier<T> call) {
            if (!Thread.currentThread().isVirtual()) {
              platform.set(true);
            }
            if (operation.equals("lease")) {
              entered.countDown();
              try {
                release.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return call.get();
          }
        };
        HeartbeatGrpcServer server = HeartbeatGrpcServer.builder(holding).maxCalls(2).start();
        GrpcStore client = GrpcStore.builder("127.0.0.1", server.port())
            .deadline(Duration.ofSeconds(30)).connect()) {
      CompletableFuture<Optional<Lease>> a = CompletableFuture.supplyAsync(
          () -> client.lease("a"), Thread.ofPlatform()::start);
      CompletableFuture<Optional<Lease>> b = CompletableFuture.supplyAsync(
          () -> client.lease("b"), Thread.ofPlatform()::start);
      assertThat(entered.await(10, TimeUnit.SECONDS)).as("two calls reached the store").isTrue();

      assertThatThrownBy(() -> client.agent("c")).as("a third call while two are held")
          .hasMessageContaining("RESOURCE_EXHAUSTED").hasMessageContaining("2 calls")
          .hasMessageContaining("maxCalls");

      release.countDown();
      assertThat(a.get(10, TimeUnit.SECONDS)).isEmpty();
      assertThat(b.get(10, TimeUnit.SECONDS)).isEmpty();
      assertThat(client.agent("c")).as("served again once the calls ended").isEmpty();
      assertThat(platform).as("a store call ran on a platform thread").isFalse();
    }
  }

  @Test
  void theLimitMustBePositive() {
    try (MemoryStore memory = new MemoryStore()) {
      assertThatThrownBy(() -> HeartbeatGrpcServer.builder(memory).maxCalls(0))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxCalls")
          .hasMessageContaining("0");
    }
  }
}
