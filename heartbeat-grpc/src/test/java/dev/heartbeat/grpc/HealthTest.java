package dev.heartbeat.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.grpc.health.v1.HealthCheckRequest;
import dev.heartbeat.grpc.health.v1.HealthCheckResponse;
import dev.heartbeat.grpc.health.v1.HealthCheckResponse.ServingStatus;
import dev.heartbeat.grpc.health.v1.HealthGrpc;
import dev.heartbeat.grpc.v1.HeartbeatServiceGrpc;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.ForwardingStore;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The standard grpc.health.v1 service, called with a real client: SERVING while the store
 * answers, NOT_SERVING when it fails and once the server drains (watchers told), NOT_FOUND for a
 * service the server does not have.
 */
class HealthTest {

  @Test
  void theServerAndTheHeartbeatServiceAreServingWhileTheStoreAnswers() {
    try (MemoryStore memory = new MemoryStore();
        HeartbeatGrpcServer server = HeartbeatGrpcServer.start(memory, 0)) {
      ManagedChannel channel = Wire.plaintext(server.port());
      try {
        assertThat(check(channel, "")).isEqualTo(ServingStatus.SERVING);
        assertThat(check(channel, "heartbeat.v1.HeartbeatService"))
            .isEqualTo(ServingStatus.SERVING);
        assertThatThrownBy(() -> check(channel, "no.such.Service"))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription()).contains("'no.such.Service'");
            });
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void aStoreThatFailsIsNotServing() {
    try (MemoryStore memory = new MemoryStore();
        HeartbeatStore failing = new ForwardingStore(memory) {
          @Override
          public Instant now() {
            throw new HeartbeatStoreException("memory:", "now", "disk on fire");
          }
        };
        HeartbeatGrpcServer server = HeartbeatGrpcServer.start(failing, 0)) {
      ManagedChannel channel = Wire.plaintext(server.port());
      try {
        assertThat(check(channel, "")).isEqualTo(ServingStatus.NOT_SERVING);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void drainingIsNotServingToChecksAndWatchersWhileCallsAreStillServed() throws Exception {
    try (MemoryStore memory = new MemoryStore()) {
      HeartbeatGrpcServer server = HeartbeatGrpcServer.start(memory, 0);
      ManagedChannel channel = Wire.plaintext(server.port());
      try {
        BlockingQueue<Object> seen = new LinkedBlockingQueue<>(16);
        HealthGrpc.newStub(channel).watch(HealthCheckRequest.getDefaultInstance(),
            new StreamObserver<>() {
              @Override
              public void onNext(HealthCheckResponse r) {
                seen.offer(r.getStatus());
              }

              @Override
              public void onError(Throwable t) {
                seen.offer(t);
              }

              @Override
              public void onCompleted() {
                seen.offer("completed");
              }
            });
        assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo(ServingStatus.SERVING);

        server.drain();
        assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(check(channel, "")).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(HeartbeatServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(5, TimeUnit.SECONDS).register(Wire.beat("a-1", 1)).hasState())
            .as("calls are still served while draining").isTrue();

        server.close();
        assertThat(seen.poll(10, TimeUnit.SECONDS)).as("close ends the watch")
            .isEqualTo("completed");
      } finally {
        server.close();
        channel.shutdownNow();
      }
    }
  }

  static ServingStatus check(ManagedChannel channel, String service) {
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
  }
}
