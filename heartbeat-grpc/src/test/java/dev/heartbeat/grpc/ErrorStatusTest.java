package dev.heartbeat.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.TaskSpec;
import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.grpc.v1.AcquireRequest;
import dev.heartbeat.grpc.v1.AgentLimitRequest;
import dev.heartbeat.grpc.v1.AgentRequest;
import dev.heartbeat.grpc.v1.AttemptOutcome;
import dev.heartbeat.grpc.v1.BeatBatch;
import dev.heartbeat.grpc.v1.ClaimRef;
import dev.heartbeat.grpc.v1.ClaimRenewal;
import dev.heartbeat.grpc.v1.ClaimRenewals;
import dev.heartbeat.grpc.v1.ClaimRequest;
import dev.heartbeat.grpc.v1.EndRequest;
import dev.heartbeat.grpc.v1.HeartbeatServiceGrpc;
import dev.heartbeat.grpc.v1.HeartbeatServiceGrpc.HeartbeatServiceBlockingStub;
import dev.heartbeat.grpc.v1.ProgressRequest;
import dev.heartbeat.grpc.v1.SubmitRequest;
import dev.heartbeat.grpc.v1.TaskState;
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
  void taskCallsNameTheProtoFieldNotTheJavaParameter() {
    dev.heartbeat.grpc.v1.TaskSpec spec = TaskProtos.of(new TaskSpec("t-1", "{}",
        Duration.ofMinutes(1), Duration.ofMinutes(1), 3, 2, Duration.ofSeconds(1),
        Duration.ofSeconds(10)));
    assertStatus(() -> call().submit(SubmitRequest.newBuilder().setQueue("q")
        .setSpec(spec.toBuilder().setId(" ")).build()), Status.Code.INVALID_ARGUMENT,
        "spec.id must not be blank");
    assertStatus(() -> call().submit(SubmitRequest.newBuilder().setQueue("q")
        .setSpec(spec.toBuilder().clearAttemptTimeout()).build()), Status.Code.INVALID_ARGUMENT,
        "spec.attempt_timeout");
    assertStatus(() -> call().submit(SubmitRequest.newBuilder().setQueue("q")
        .setSpec(spec.toBuilder().setMaxRetryDelay(Times.of(Duration.ofMillis(1)))).build()),
        Status.Code.INVALID_ARGUMENT, "spec.max_retry_delay");
    assertStatus(() -> call().claim(ClaimRequest.newBuilder().setQueue("q").setWorker("w")
        .setIncarnation("i").setMax(1).build()), Status.Code.INVALID_ARGUMENT, "ttl");

    ClaimRef claim = ClaimRef.newBuilder().setQueue("q").setTaskId("").setWorker("w")
        .setToken(1).build();
    assertStatus(() -> call().renewClaims(ClaimRenewals.newBuilder().addRenewals(ClaimRenewal
        .newBuilder().setClaim(claim).setTtl(Times.of(Duration.ofSeconds(5)))).build()),
        Status.Code.INVALID_ARGUMENT, "renewals[0].claim.task_id must not be blank");
    assertStatus(() -> call().progress(ProgressRequest.newBuilder().setClaim(claim)
        .setProgress("p").build()), Status.Code.INVALID_ARGUMENT,
        "claim.task_id must not be blank");
    EndRequest done = EndRequest.newBuilder().setClaim(claim.toBuilder().setTaskId("t-1"))
        .setOutcome(AttemptOutcome.OUTCOME_FAILED).setNext(TaskState.INBOX)
        .setErrorClass("E").setMessage("m").build();
    assertStatus(() -> call().end(done.toBuilder().setClaim(claim).build()),
        Status.Code.INVALID_ARGUMENT, "claim.task_id must not be blank");
    assertStatus(() -> call().end(done.toBuilder().setRetryIn(Times.of(Duration.ofSeconds(-1)))
        .build()), Status.Code.INVALID_ARGUMENT, "retry_in");
    assertStatus(() -> call().end(done.toBuilder().setStackTrace("x".repeat(10_000)).build()),
        Status.Code.INVALID_ARGUMENT, "stack_trace");
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
