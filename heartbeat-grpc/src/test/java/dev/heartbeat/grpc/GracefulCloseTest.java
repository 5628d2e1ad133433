package dev.heartbeat.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Lease;
import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.ForwardingStore;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Closing the server is graceful: new connections are refused at once, while a call already
 * running on the store finishes and is answered; the store stays open.
 */
class GracefulCloseTest {

  @Test
  void aRunningCallIsAnsweredWhileTheServerClosesAndNewCallsAreRefused() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (MemoryStore memory = new MemoryStore();
        HeartbeatStore holding = new ForwardingStore(memory) {
          @Override
          protected <T> T around(String operation, Supplier<T> call) {
            entered.countDown();
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return call.get();
          }
        }) {
      HeartbeatGrpcServer server = HeartbeatGrpcServer.start(holding, 0);
      try (GrpcStore client = GrpcStore.builder("127.0.0.1", server.port())
          .deadline(Duration.ofSeconds(30)).connect()) {
        // threads of their own: the common pool may have a single one on a small machine
        CompletableFuture<Optional<Lease>> running = CompletableFuture.supplyAsync(
            () -> client.lease("held"), Thread.ofPlatform()::start);
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("the call reached the store").isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close,
            Thread.ofPlatform()::start);
        Await.until("the closing server to refuse a new connection", () -> refused(server.port()));
        assertThat(running).isNotDone();
        assertThat(closing).isNotDone();

        release.countDown();
        assertThat(running.get(10, TimeUnit.SECONDS)).as("answered, not cancelled").isEmpty();
        closing.get(10, TimeUnit.SECONDS);
      } finally {
        release.countDown();
        server.close();
      }
      assertThat(memory.lease("held")).as("the store is still open").isEmpty();
    }
  }

  private static boolean refused(int port) {
    ManagedChannel channel = Wire.plaintext(port);
    try {
      HealthTest.check(channel, "");
      return false;
    } catch (StatusRuntimeException e) {
      return true;
    } finally {
      channel.shutdownNow();
    }
  }
}
