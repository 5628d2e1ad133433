package dev.heartbeat.grpc;

import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentState;
import dev.heartbeat.StallDetector;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One {@code Watch} call: first the state of every agent the server's detector knows (kind
 * {@code CURRENT}), then its changes as they happen. A watcher that does not keep up (its
 * transport buffer full) is not ended: its changes wait, at most one per agent (a newer change of
 * the same agent replaces the one waiting and is sent marked {@code coalesced}), and go out as
 * soon as the transport is ready again. At most {@code maxWaiting} agents' changes wait
 * ({@link #MAX_WAITING} unless set otherwise); past
 * that the watcher is ended {@code RESOURCE_EXHAUSTED}, so memory per watcher stays bounded.
 */
final class WatchStream {
  /** The kind of the first answers: where each agent stands when the watch starts. */
  static final String CURRENT = "CURRENT";

  /** The most agents whose changes wait for one slow watcher. */
  static final int MAX_WAITING = 100_000;

  private final ServerCallStreamObserver<dev.heartbeat.grpc.v1.AgentChange> out;
  private final ReentrantLock lock = new ReentrantLock();
  /** The changes waiting for the transport, the latest per agent, oldest agent first. */
  private final LinkedHashMap<String, dev.heartbeat.grpc.v1.AgentChange> waiting =
      new LinkedHashMap<>();
  private final int maxWaiting;
  private StallDetector.Subscription subscription;
  private boolean ended;

  private WatchStream(ServerCallStreamObserver<dev.heartbeat.grpc.v1.AgentChange> out,
      int maxWaiting) {
    this.out = out;
    this.maxWaiting = maxWaiting;
  }

  static void start(Optional<StallDetector> detector, int maxWaiting,
      StreamObserver<dev.heartbeat.grpc.v1.AgentChange> out) {
    if (detector.isEmpty()) {
      out.onError(Status.FAILED_PRECONDITION
          .withDescription("this server runs no stall detector: start it with one to watch")
          .asRuntimeException());
      return;
    }
    var call = (ServerCallStreamObserver<dev.heartbeat.grpc.v1.AgentChange>) out;
    WatchStream watch = new WatchStream(call, maxWaiting);
    call.setOnCancelHandler(watch::end);
    call.setOnReadyHandler(watch::drain);
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
      dev.heartbeat.grpc.v1.AgentChange m = AgentProtos.of(change);
      if (waiting.isEmpty() && out.isReady()) {
        out.onNext(m);
        return;
      }
      dev.heartbeat.grpc.v1.AgentChange before = waiting.remove(change.agentId());
      if (before != null) {
        m = m.toBuilder().setFrom(before.getFrom()).setCoalesced(true).build();
      } else if (waiting.size() >= maxWaiting) {
        ended = true;
        waiting.clear();
        out.onError(Status.RESOURCE_EXHAUSTED.withDescription("the watcher does not keep up: "
            + "changes of " + maxWaiting + " agents wait for it, the limit").asRuntimeException());
        closeSubscription();
        return;
      }
      waiting.put(change.agentId(), m);
      drainLocked();
    } finally {
      lock.unlock();
    }
  }

  /** The transport is ready again: sends what waits, oldest agent first, while it stays so. */
  private void drain() {
    lock.lock();
    try {
      if (!ended) {
        drainLocked();
      }
    } finally {
      lock.unlock();
    }
  }

  private void drainLocked() {
    Iterator<dev.heartbeat.grpc.v1.AgentChange> it = waiting.values().iterator();
    while (it.hasNext() && out.isReady()) {
      dev.heartbeat.grpc.v1.AgentChange m = it.next();
      it.remove();
      out.onNext(m);
    }
  }

  private void end() {
    lock.lock();
    try {
      ended = true;
      waiting.clear();
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
