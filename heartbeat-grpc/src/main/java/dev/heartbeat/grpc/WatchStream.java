package dev.heartbeat.grpc;

import dev.heartbeat.AgentChange;
import dev.heartbeat.StallDetector;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One {@code Watch} call: the server's detector changes, sent as they happen. A watcher that
 * does not keep up (its transport buffer full) is ended {@code RESOURCE_EXHAUSTED} rather than
 * buffered without bound.
 */
final class WatchStream {
  private final ServerCallStreamObserver<dev.heartbeat.grpc.v1.AgentChange> out;
  private final ReentrantLock lock = new ReentrantLock();
  private StallDetector.Subscription subscription;
  private boolean ended;

  private WatchStream(ServerCallStreamObserver<dev.heartbeat.grpc.v1.AgentChange> out) {
    this.out = out;
  }

  static void start(Optional<StallDetector> detector,
      StreamObserver<dev.heartbeat.grpc.v1.AgentChange> out) {
    if (detector.isEmpty()) {
      out.onError(Status.FAILED_PRECONDITION
          .withDescription("this server runs no stall detector: start it with one to watch")
          .asRuntimeException());
      return;
    }
    var call = (ServerCallStreamObserver<dev.heartbeat.grpc.v1.AgentChange>) out;
    WatchStream watch = new WatchStream(call);
    call.setOnCancelHandler(watch::end);
    StallDetector.Subscription s = detector.get().onChange(watch::send);
    watch.lock.lock();
    try {
      watch.subscription = s;
      if (watch.ended) {
        s.close();
      }
    } finally {
      watch.lock.unlock();
    }
  }

  private void send(AgentChange change) {
    lock.lock();
    try {
      if (ended) {
        return;
      }
      if (!out.isReady()) {
        ended = true;
        out.onError(Status.RESOURCE_EXHAUSTED
            .withDescription("the watcher does not keep up with the changes").asRuntimeException());
        closeSubscription();
        return;
      }
      out.onNext(AgentProtos.of(change));
    } finally {
      lock.unlock();
    }
  }

  private void end() {
    lock.lock();
    try {
      ended = true;
      closeSubscription();
    } finally {
      lock.unlock();
    }
  }

  private void closeSubscription() {
    if (subscription != null) {
      subscription.close();
    }
  }
}
