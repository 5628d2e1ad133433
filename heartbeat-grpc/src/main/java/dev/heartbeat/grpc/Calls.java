package dev.heartbeat.grpc;

import dev.heartbeat.HeartbeatStoreException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one call of the server on the store and answers it: the value, or the failure as a gRPC
 * status (bad input {@code INVALID_ARGUMENT} with the SPI's message, a failing store
 * {@code UNAVAILABLE}).
 */
final class Calls {
  private static final Logger LOG = LoggerFactory.getLogger(Calls.class);

  private Calls() {}

  static <T> void unary(StreamObserver<T> out, Supplier<T> call) {
    T value;
    try {
      value = call.get();
    } catch (RuntimeException e) {
      out.onError(status(e));
      return;
    }
    out.onNext(value);
    out.onCompleted();
  }

  /** The status that tells the client what went wrong. */
  static StatusRuntimeException status(RuntimeException e) {
    if (e instanceof StatusRuntimeException s) {
      return s;
    }
    if (e instanceof IllegalArgumentException || e instanceof NullPointerException) {
      return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    if (e instanceof UnsupportedOperationException) {
      return Status.UNIMPLEMENTED.withDescription(e.getMessage()).asRuntimeException();
    }
    if (e instanceof HeartbeatStoreException) {
      return Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException();
    }
    LOG.warn("store call failed unexpectedly", e);
    return Status.UNAVAILABLE.withDescription(String.valueOf(e)).asRuntimeException();
  }

  /** Refuses a batch larger than {@code max}, naming it. */
  static void bound(String name, int size, int max) {
    if (size > max) {
      throw new IllegalArgumentException(name + " holds " + size + " entries, at most " + max
          + " are taken in one call");
    }
  }
}
