package dev.heartbeat.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.grpc.v1.AcquireRequest;
import dev.heartbeat.grpc.v1.AgentLimitRequest;
import dev.heartbeat.grpc.v1.AgentRequest;
import dev.heartbeat.grpc.v1.BeatBatch;
import dev.heartbeat.grpc.v1.HeartbeatServiceGrpc;
import dev.heartbeat.grpc.v1.HeartbeatServiceGrpc.HeartbeatServiceBlockingStub;
import dev.heartbeat.grpc.v1.WatchRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad requests on a raw stub: each is the status its kind calls for, naming the .proto field. */
class ErrorStatusTest {
  private MemoryStore memory;
  private HeartbeatGrpcServer server;
  private ManagedChannel channel;
  private HeartbeatServiceBlockingStub stub;

  @BeforeEach
  void start() {
    memory = new MemoryStore();
    server = HeartbeatGrpcServer.start(memory, 0);
    channel = Wire.plaintext(server.port());
    stub = HeartbeatServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.close();
    memory.close();
  }

  private HeartbeatServiceBlockingStub call() {
    return stub.withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  @Test
  void aBeatWithoutAgentIdIsInvalidArgumentNamingAgentId() {
    assertStatus(() -> call().beat(Wire.beat("", 1)), Status.Code.INVALID_ARGUMENT,
        "agent_id must not be blank");
    assertStatus(() -> call().register(Wire.beat("a-1", 1).toBuilder().setIncarnation(" ")
        .build()), Status.Code.INVALID_ARGUMENT, "incarnation must not be blank");
    assertStatus(() -> call().register(Wire.beat("a-1", -3)), Status.Code.INVALID_ARGUMENT,
        "sequence", "-3");
    assertStatus(() -> call().register(Wire.beat("a-1", 1).toBuilder().setCpuUtil(7).build()),
        Status.Code.INVALID_ARGUMENT, "cpu_util");
    assertStatus(() -> call().register(Wire.beat("a-1", 1).toBuilder().clearStatus().build()),
        Status.Code.INVALID_ARGUMENT, "status must be IDLE, WORKING or LEFT");
  }

  @Test
  void agentReadsAndBatchesNameTheField() {
    assertStatus(() -> call().getAgent(AgentRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT, "agent_id must not be blank");
    assertStatus(() -> call().events(AgentLimitRequest.newBuilder().setAgentId(" ")
        .setLimit(5).build()), Status.Code.INVALID_ARGUMENT, "agent_id must not be blank");
    assertStatus(() -> call().beatAll(BeatBatch.newBuilder().addBeats(Wire.beat("a-1", 1))
        .addBeats(Wire.beat("", 1)).build()), Status.Code.INVALID_ARGUMENT,
        "beats[1].agent_id must not be blank");
  }

  @Test
  void leaseCallsNameTheField() {
    AcquireRequest good = AcquireRequest.newBuilder().setName("n").setHolder("h")
        .setTtl(Times.of(Duration.ofSeconds(5))).build();
    assertStatus(() -> call().tryAcquire(good.toBuilder().setHolder("").build()),
        Status.Code.INVALID_ARGUMENT, "holder must not be blank");
    assertStatus(() -> call().tryAcquire(good.toBuilder().clearTtl().build()),
        Status.Code.INVALID_ARGUMENT, "ttl");
    assertThat(call().tryAcquire(good).hasLease()).isTrue();
  }

  @Test
  void watchWithoutADetectorIsFailedPrecondition() {
    assertStatus(() -> call().watch(WatchRequest.getDefaultInstance()).hasNext(),
        Status.Code.FAILED_PRECONDITION, "detector");
  }

  private static void assertStatus(ThrowingCallable call, Status.Code code, String... says) {
    assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      assertThat(e.getStatus().getDescription()).contains(says);
    });
  }
}
