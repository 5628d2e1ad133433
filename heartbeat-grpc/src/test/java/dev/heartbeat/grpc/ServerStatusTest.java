package dev.heartbeat.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.grpc.v1.AcquireRequest;
import dev.heartbeat.grpc.v1.Empty;
import dev.heartbeat.grpc.v1.HeartbeatServiceGrpc;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.HeartbeatStoreProvider;
import dev.heartbeat.tck.ForwardingStore;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** What the wire says when input is bad, the store fails or hangs; and the grpc:// provider. */
class ServerStatusTest {

  @Test
  void badInputIsInvalidArgumentWithTheStoresMessageOnTheWireAndInTheClient() throws Exception {
    try (MemoryStore memory = new MemoryStore();
        HeartbeatGrpcServer server = HeartbeatGrpcServer.start(memory, 0)) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
          .usePlaintext().build();
      try {
        var stub = HeartbeatServiceGrpc.newBlockingStub(channel);
        assertThatThrownBy(() -> stub.tryAcquire(AcquireRequest.newBuilder().setName(" ")
            .setHolder("h").setTtl(Times.of(Duration.ofSeconds(1))).build()))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("name");
            });
      } finally {
        channel.shutdownNow();
      }
      try (HeartbeatStore store = open(server.uri())) {
        assertThatThrownBy(() -> store.tryAcquire("a", "h", Duration.ofSeconds(-1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
      }
    }
  }

  @Test
  void aFailingStoreIsUnavailableAndTheClientThrowsTheStoreExceptionNamingItself() {
    try (MemoryStore memory = new MemoryStore();
        HeartbeatStore failing = new ForwardingStore(memory) {
          @Override
          protected <T> T around(String operation, Supplier<T> call) {
            throw new HeartbeatStoreException("memory:", operation, "disk on fire");
          }
        };
        HeartbeatGrpcServer server = HeartbeatGrpcServer.start(failing, 0);
        HeartbeatStore store = open(server.uri())) {
      assertThatThrownBy(() -> store.lease("a"))
          .isInstanceOfSatisfying(HeartbeatStoreException.class, e -> {
            assertThat(e.store()).isEqualTo(server.uri());
            assertThat(e.operation()).isEqualTo("lease(a)");
            assertThat(e.getMessage()).contains("UNAVAILABLE").contains("disk on fire");
          });
    }
  }

  @Test
  void aCallThatOutlivesItsDeadlineFailsAsAStoreException() {
    CountDownLatch release = new CountDownLatch(1);
    try (MemoryStore memory = new MemoryStore();
        HeartbeatStore hanging = new ForwardingStore(memory) {
          @Override
          protected <T> T around(String operation, Supplier<T> call) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return call.get();
          }
        };
        HeartbeatGrpcServer server = HeartbeatGrpcServer.start(hanging, 0);
        HeartbeatStore store = open(server.uri() + "?deadlineMs=200")) {
      try {
        assertThatThrownBy(() -> store.lease("a")).isInstanceOf(HeartbeatStoreException.class)
            .hasMessageContaining("DEADLINE_EXCEEDED");
      } finally {
        release.countDown();
      }
    }
  }

  @Test
  void theProviderIsFoundForGrpcAndRefusesAUriWithoutPort() {
    assertThatThrownBy(() -> new GrpcStoreProvider().open(URI.create("grpc://localhost")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grpc://localhost");
    try (MemoryStore memory = new MemoryStore();
        HeartbeatGrpcServer server = HeartbeatGrpcServer.start(memory, 0);
        HeartbeatStore store = open(server.uri())) {
      assertThat(store.describe()).isEqualTo(server.uri() + " (" + memory.describe() + ")");
      assertThat(store.tasks()).isPresent();
      assertThat(store.now()).isNotNull();
    }
  }

  /** Opens {@code uri} through the provider {@link ServiceLoader} finds for its scheme. */
  private static HeartbeatStore open(String uri) {
    HeartbeatStoreProvider provider = ServiceLoader.load(HeartbeatStoreProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.schemes().contains("grpc")).findFirst()
        .orElseThrow();
    return provider.open(URI.create(uri));
  }

  @Test
  void describeAnswersOnTheWire() throws Exception {
    try (MemoryStore memory = new MemoryStore();
        HeartbeatGrpcServer server = HeartbeatGrpcServer.start(memory, 0)) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
          .usePlaintext().build();
      try {
        assertThat(HeartbeatServiceGrpc.newBlockingStub(channel)
            .describe(Empty.getDefaultInstance()).getKeepsTasks()).isTrue();
      } finally {
        channel.shutdownNow();
      }
    }
  }
}
