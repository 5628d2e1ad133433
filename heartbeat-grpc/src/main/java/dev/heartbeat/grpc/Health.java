package dev.heartbeat.grpc;

import dev.heartbeat.grpc.health.v1.HealthCheckRequest;
import dev.heartbeat.grpc.health.v1.HealthCheckResponse;
import dev.heartbeat.grpc.health.v1.HealthCheckResponse.ServingStatus;
import dev.heartbeat.grpc.health.v1.HealthGrpc;
import dev.heartbeat.grpc.v1.HeartbeatServiceGrpc;
import dev.heartbeat.spi.HeartbeatStore;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The standard {@code grpc.health.v1.Health} service: the whole server (the empty name) and
 * {@code heartbeat.v1.HeartbeatService} are {@code SERVING} while the served store answers (its
 * clock is read on each check), {@code NOT_SERVING} when it fails or once the server is shutting
 * down; any other name is {@code NOT_FOUND}. {@code Watch} answers the status now, then
 * {@code NOT_SERVING} when shutdown begins; watchers are bounded.
 */
final class Health extends HealthGrpc.HealthImplBase {
  /** The most {@code Watch} calls open at once. */
  static final int MAX_WATCHERS = 1_000;
  static final Set<String> SERVICES = Set.of("", HeartbeatServiceGrpc.SERVICE_NAME);

  private final HeartbeatStore store;
  private final ReentrantLock lock = new ReentrantLock();
  private final List<StreamObserver<HealthCheckResponse>> watchers = new ArrayList<>();
  private volatile boolean shuttingDown;

  Health(HeartbeatStore store) {
    this.store = store;
  }

  @Override
  public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> out) {
    if (!SERVICES.contains(request.getService())) {
      out.onError(unknown(request.getService()));
      return;
    }
    out.onNext(response(status()));
    out.onCompleted();
  }

  @Override
  public void watch(HealthCheckRequest request, StreamObserver<HealthCheckResponse> out) {
    if (!SERVICES.contains(request.getService())) {
      out.onNext(response(ServingStatus.SERVICE_UNKNOWN)); // as the protocol says, not an error
      out.onCompleted();
      return;
    }
    ServingStatus now = status();
    lock.lock();
    try {
      if (shuttingDown) {
        out.onNext(response(ServingStatus.NOT_SERVING));
        out.onCompleted();
        return;
      }
      if (watchers.size() >= MAX_WATCHERS) {
        out.onError(Status.RESOURCE_EXHAUSTED.withDescription("health watchers: at most "
            + MAX_WATCHERS + " at once").asRuntimeException());
        return;
      }
      out.onNext(response(now));
      watchers.add(out);
    } finally {
      lock.unlock();
    }
    if (out instanceof ServerCallStreamObserver<HealthCheckResponse> s) {
      s.setOnCancelHandler(() -> forget(out));
    }
  }

  private void forget(StreamObserver<HealthCheckResponse> out) {
    lock.lock();
    try {
      watchers.remove(out);
    } finally {
      lock.unlock();
    }
  }

  /** From now on every check answers {@code NOT_SERVING}; watchers are told. Idempotent. */
  void shuttingDown() {
    lock.lock();
    try {
      if (shuttingDown) {
        return;
      }
      shuttingDown = true;
      for (StreamObserver<HealthCheckResponse> w : watchers) {
        w.onNext(response(ServingStatus.NOT_SERVING));
      }
    } finally {
      lock.unlock();
    }
  }

  /** Ends every {@code Watch} call, so that they do not hold the server's graceful shutdown. */
  void endWatches() {
    lock.lock();
    try {
      watchers.forEach(StreamObserver::onCompleted);
      watchers.clear();
    } finally {
      lock.unlock();
    }
  }

  private ServingStatus status() {
    if (shuttingDown) {
      return ServingStatus.NOT_SERVING;
    }
    try {
      store.now();
      return shuttingDown ? ServingStatus.NOT_SERVING : ServingStatus.SERVING;
    } catch (RuntimeException e) {
      return ServingStatus.NOT_SERVING;
    }
  }

  private static RuntimeException unknown(String service) {
    return Status.NOT_FOUND.withDescription("service '" + service + "' is unknown (known: '' for "
        + "the whole server, " + HeartbeatServiceGrpc.SERVICE_NAME + ")").asRuntimeException();
  }

  private static HealthCheckResponse response(ServingStatus s) {
    return HealthCheckResponse.newBuilder().setStatus(s).build();
  }
}
