package dev.heartbeat.grpc;

import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentState;
import dev.heartbeat.StallDetector;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One {@code Watch} call: first the state of every agent the server's detector knows (kind
 * {@code CURRENT}), then its changes as they happen. A watcher that does not keep up (its
 * transport buffer full) is ended {@code RESOURCE_EXHAUSTED} rather than buffered without bound.
 */
final class WatchStream {
  /** The kind of the first answers: where each agent stands when the watch starts. */
  static final String CURRENT = "CURRENT";

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
    watch.lock.lock(); // changes wait until the current states are sent
    try {
      watch.subscription = detector.get().onChange(watch::send);
      for (Map.Entry<String, AgentState> e : detector.get().states().entrySet()) {
        call.onNext(dev.heartbeat.grpc.v1.AgentChange.newBuilder().setAgentId(e.getKey())
            .setTo(e.getValue().name()).setKind(CURRENT).build());
      }
      if (watch.ended) {
        watch.closeSubscription();
      }
    } catch (RuntimeException e) {
      watch.ended = true;
      watch.closeSubscription();
      throw e;
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
