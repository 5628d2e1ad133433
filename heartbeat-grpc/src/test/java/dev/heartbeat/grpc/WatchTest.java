package dev.heartbeat.grpc;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@code Watch} streams where the detector stands, then what it sees change; time is manual. */
class WatchTest {
  @Test
  void aWatcherGetsTheCurrentStatesThenTheAgentGoingSilent() throws Exception {
    ManualTime time = new ManualTime();
    try (MemoryStore memory = new MemoryStore(time, 20);
        Heartbeats hb = Heartbeats.builder().store(memory).time(time).build();
        HeartbeatGrpcServer server = HeartbeatGrpcServer.start(memory, "127.0.0.1", 0,
            Optional.of(hb.detector()));
        GrpcStore store = GrpcStore.connect("127.0.0.1", server.port(), Duration.ofSeconds(5))) {
      store.register(new Beat("a", "a-1", 0, Optional.empty(), AgentStatus.IDLE,
          OptionalDouble.empty(), Optional.empty(), false, Optional.of(Duration.ofSeconds(1))));
      Await.until("the detector knows a", () -> {
        time.advance(Duration.ofMillis(10));
        return hb.detector().state("a").isPresent();
      });
      List<AgentChange> seen = new CopyOnWriteArrayList<>();
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
          .usePlaintext().build();
      try {
        HeartbeatServiceGrpc.newStub(channel).watch(WatchRequest.getDefaultInstance(),
            new StreamObserver<>() {
              @Override
              public void onNext(AgentChange change) {
                seen.add(change);
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {}
            });
        Await.until("the current state of a", () -> !seen.isEmpty());
        assertThat(seen.getFirst().getAgentId()).isEqualTo("a");
        assertThat(seen.getFirst().getKind()).isEqualTo(WatchStream.CURRENT);
        Await.until("a change of the silent agent", () -> {
          time.advance(Duration.ofMillis(500));
          return seen.size() > 1;
        });
        List<String> kinds = new ArrayList<>();
        seen.forEach(c -> kinds.add(c.getKind()));
        assertThat(seen.get(1).getAgentId()).isEqualTo("a");
        assertThat(kinds.get(1)).isIn("SUSPECTED", "DIED");
      } finally {
        channel.shutdownNow();
      }
    }
  }
}
