package dev.heartbeat.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentState;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.grpc.v1.AgentChange;
import dev.heartbeat.grpc.v1.HeartbeatServiceGrpc;
import dev.heartbeat.grpc.v1.WatchRequest;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.ManualTime;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A watcher that does not read while a burst of changes fills its transport buffer is not cut
 * off: the server keeps the latest change per agent for it, and once it reads again it gets
 * them, the ones that replaced earlier changes marked {@code coalesced}; then changes go on as
 * they happen. Time is manual; the client's flow-control window is small so that a burst of a
 * thousand agents going silent fills it.
 */
class SlowWatcherTest {
  private static final int AGENTS = 1_000;
  /** Long ids, so that a change takes a few hundred bytes and the burst a megabyte. */
  private static final String INCARNATION = "i-" + "y".repeat(120);
  private static final String PREFIX = "agent-" + "x".repeat(110) + "-";

  private static Beat beat(String agentId, String incarnation, long seq) {
    return new Beat(agentId, incarnation, seq, Optional.empty(), AgentStatus.IDLE,
        OptionalDouble.empty(), Optional.empty(), false, Optional.of(Duration.ofSeconds(1)));
  }

  /** A watcher that reads its first answer, then nothing until {@link #readAll}. */
  private static final class Watcher implements ClientResponseObserver<WatchRequest, AgentChange> {
    final List<AgentChange> seen = new CopyOnWriteArrayList<>();
    final Map<String, AgentChange> latest = new ConcurrentHashMap<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();
    final ManagedChannel channel;
    private volatile ClientCallStreamObserver<WatchRequest> call;

    Watcher(int port) {
      channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
          .flowControlWindow(16 * 1024).build();
      HeartbeatServiceGrpc.newStub(channel).watch(WatchRequest.getDefaultInstance(), this);
      Await.until("the watch started: its first answer", () -> seen.size() == 1);
    }

    void readAll() {
      call.request(Integer.MAX_VALUE);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<WatchRequest> c) {
      c.disableAutoRequestWithInitial(1);
      call = c;
    }

    @Override
    public void onNext(AgentChange change) {
      seen.add(change);
      latest.put(change.getAgentId(), change);
    }

    @Override
    public void onError(Throwable t) {
      error.set(t);
    }

    @Override
    public void onCompleted() {}
  }

  /** Registers the agents, then lets them all go silent: suspected, then dead. */
  private static void burst(ManualTime time, MemoryStore memory, Heartbeats hb,
      Runnable beforeTheBurst) {
    for (int i = 0; i < AGENTS; i++) {
      memory.register(beat(PREFIX + i, INCARNATION, 0));
    }
    Await.until("the detector knows every agent", () -> {
      time.advance(Duration.ofMillis(10));
      return hb.detector().states().size() == AGENTS;
    });
    beforeTheBurst.run();
    Await.until("every agent dead", () -> {
      time.advance(Duration.ofMillis(500));
      return hb.detector().states().values().stream().allMatch(s -> s == AgentState.DEAD);
    });
  }

  @Test
  void aWatcherThatDoesNotReadDuringABurstGetsTheLatestChangePerAgentAndStaysOpen() {
    ManualTime time = new ManualTime();
    try (MemoryStore memory = new MemoryStore(time, 20);
        Heartbeats hb = Heartbeats.builder().store(memory).time(time).build();
        HeartbeatGrpcServer server = HeartbeatGrpcServer.builder(memory).detector(hb.detector())
            .start()) {
      AtomicReference<Watcher> watcher = new AtomicReference<>();
      burst(time, memory, hb, () -> watcher.set(new Watcher(server.port())));
      Watcher w = watcher.get();
      try {
        w.readAll();
        Await.until("the latest change of every agent", () -> w.latest.size() == AGENTS
            && w.latest.values().stream().allMatch(c -> c.getTo().equals("DEAD")));
        assertThat(w.error.get()).as("the stream was not ended").isNull();
        assertThat(w.seen).as("changes that replaced earlier ones of their agent")
            .anyMatch(AgentChange::getCoalesced);
        w.seen.stream().filter(AgentChange::getCoalesced).forEach(c -> {
          assertThat(c.getKind()).isEqualTo("DIED");
          assertThat(c.getFrom()).as("where the watcher last knew the agent").isEqualTo("ALIVE");
        });

        memory.record(beat(PREFIX + 7, INCARNATION, 1));
        Await.until("agent 7 seen recovering", () -> {
          time.advance(Duration.ofMillis(10));
          return w.latest.get(PREFIX + 7).getKind().equals("RECOVERED");
        });
        assertThat(w.latest.get(PREFIX + 7).getCoalesced()).isFalse();
        assertThat(w.error.get()).isNull();
      } finally {
        w.channel.shutdownNow();
      }
    }
  }

  @Test
  void aWatcherWithMoreAgentsWaitingThanItsBoundIsEndedResourceExhausted() {
    ManualTime time = new ManualTime();
    try (MemoryStore memory = new MemoryStore(time, 20);
        Heartbeats hb = Heartbeats.builder().store(memory).time(time).build();
        HeartbeatGrpcServer server = HeartbeatGrpcServer.builder(memory).detector(hb.detector())
            .watchBuffer(50).start()) {
      AtomicReference<Watcher> watcher = new AtomicReference<>();
      burst(time, memory, hb, () -> watcher.set(new Watcher(server.port())));
      Watcher w = watcher.get();
      try {
        w.readAll();
        Await.until("the watch ended", () -> w.error.get() != null);
        Status s = Status.fromThrowable(w.error.get());
        assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(s.getDescription()).contains("50 agents", "limit");
      } finally {
        w.channel.shutdownNow();
      }
    }
  }
}
