package dev.heartbeat.grpc;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code max} calls of the service in flight at once, streams included, over all
 * connections: one more is closed at once with {@code RESOURCE_EXHAUSTED}, naming the limit. A
 * call counts from its start until it completes or is cancelled. As each call runs at most one
 * task at a time on the server's executor, this bounds the threads the calls use.
 */
final class CallLimit implements ServerInterceptor {
  private final int max;
  private final AtomicInteger inFlight = new AtomicInteger();

  CallLimit(int max) {
    this.max = max;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    if (inFlight.incrementAndGet() > max) {
      inFlight.decrementAndGet();
      call.close(Status.RESOURCE_EXHAUSTED.withDescription("the server holds " + max
          + " calls in flight, its limit (maxCalls); try again later"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    AtomicBoolean ended = new AtomicBoolean();
    Runnable release = () -> {
      if (ended.compareAndSet(false, true)) {
        inFlight.decrementAndGet();
      }
    };
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(call, headers);
    } catch (RuntimeException | Error e) {
      release.run();
      throw e;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } finally {
          release.run();
        }
      }

      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          release.run();
        }
      }
    };
  }
}
