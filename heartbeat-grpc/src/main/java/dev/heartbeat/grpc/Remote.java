package dev.heartbeat.grpc;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.grpc.v1.HeartbeatServiceGrpc;
import dev.heartbeat.grpc.v1.HeartbeatServiceGrpc.HeartbeatServiceBlockingStub;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The client side of one call: a fresh deadline on the stub, and the answer's status turned back
 * into the SPI's exceptions ({@code INVALID_ARGUMENT} an {@link IllegalArgumentException} with the
 * server's message, {@code UNIMPLEMENTED} an {@link UnsupportedOperationException}, anything else
 * a {@link HeartbeatStoreException} naming this store and the operation).
 */
final class Remote {
  private final HeartbeatServiceBlockingStub stub;
  private final String description;
  private final Duration deadline;
  private final boolean tls;

  Remote(io.grpc.Channel channel, String description, Duration deadline, boolean tls) {
    this.stub = HeartbeatServiceGrpc.newBlockingStub(channel);
    this.description = description;
    this.deadline = deadline;
    this.tls = tls;
  }

  String description() {
    return description;
  }

  <T> T call(String operation, Function<HeartbeatServiceBlockingStub, T> call) {
    try {
      return call.apply(stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS));
    } catch (StatusRuntimeException e) {
      throw map(operation, e);
    }
  }

  RuntimeException map(String operation, StatusRuntimeException e) {
    Status s = e.getStatus();
    String message = s.getDescription() == null ? s.getCode().toString() : s.getDescription();
    if (operation.equals("open") && s.getCode() == Status.Code.UNAVAILABLE) {
      message += tls ? " (TLS: does the server speak TLS, with a certificate trusted here that "
          + "names the host?)" : " (plaintext: if the server speaks TLS, open grpcs://)";
    }
    return switch (s.getCode()) {
      case INVALID_ARGUMENT -> new IllegalArgumentException(message, e);
      case UNIMPLEMENTED -> new UnsupportedOperationException(message, e);
      default -> new HeartbeatStoreException(description, operation,
          s.getCode() + ": " + message);
    };
  }
}
