package dev.heartbeat.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.grpc.v1.BeatReply;
import dev.heartbeat.grpc.v1.BeatRequest;
import dev.heartbeat.grpc.v1.HeartbeatServiceGrpc;
import dev.heartbeat.tck.Await;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Keepalive pings against the server's ping policy, in real time: an idle BeatStream on a
 * client that pings every 10 s (grpc-java's shortest) outlives several pings on a server that
 * permits one every 5 s, while the same client on a server that permits one a minute is sent
 * GOAWAY too_many_pings after its second. The control shows the pings were sent.
 */
class KeepaliveTest {
  private static final Duration CLIENT_PING = Duration.ofSeconds(10);

  @Test
  void theDefaultsFit() {
    assertThat(GrpcStoreBuilder.DEFAULT_KEEPALIVE_TIME)
        .isGreaterThanOrEqualTo(HeartbeatGrpcServerBuilder.DEFAULT_PERMIT_KEEPALIVE_TIME);
  }

  @Test
  void anIdleStreamOutlivesSeveralPingsWhenThePolicyPermitsThem() throws Exception {
    try (MemoryStore memory = new MemoryStore();
        HeartbeatGrpcServer permits = HeartbeatGrpcServer.builder(memory)
            .permitKeepAliveTime(Duration.ofSeconds(5)).start();
        HeartbeatGrpcServer strict = HeartbeatGrpcServer.builder(memory)
            .permitKeepAliveTime(Duration.ofMinutes(1)).start()) {
      ManagedChannel good = channel(permits.port());
      ManagedChannel control = channel(strict.port());
      try {
        memory.register(AgentProtos.beat(Wire.beat("idle-1", 1)));
        memory.register(AgentProtos.beat(Wire.beat("idle-2", 1)));
        Stream kept = new Stream(good, "idle-1");
        Stream tripped = new Stream(control, "idle-2");
        long started = System.nanoTime();
        assertThat(kept.beat(2)).isInstanceOf(BeatReply.class);
        assertThat(tripped.beat(2)).isInstanceOf(BeatReply.class);

        // pings every 10 s: the strict server's strikes end its connection (at the second)
        Await.until("the strict server to send GOAWAY", () -> !tripped.seen.isEmpty(),
            Duration.ofSeconds(120));
        Object ended = tripped.seen.take();
        assertThat(ended).isInstanceOfSatisfying(Throwable.class, t -> {
          Status s = Status.fromThrowable(t);
          // grpc-java reads GOAWAY ENHANCE_YOUR_CALM "too_many_pings" as RESOURCE_EXHAUSTED
          assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          assertThat(s.getDescription()).contains("too_many_pings");
        });
        long idleNanos = System.nanoTime() - started;
        assertThat(Duration.ofNanos(idleNanos)).isGreaterThan(CLIENT_PING);

        assertThat(kept.seen).as("the permitted stream saw no error").isEmpty();
        assertThat(kept.beat(3)).as("the idle stream still answers")
            .isInstanceOfSatisfying(BeatReply.class,
                r -> assertThat(r.getState().getSequence()).isEqualTo(3));
        kept.requests.onCompleted();
      } finally {
        good.shutdownNow();
        control.shutdownNow();
      }
    }
  }

  private static ManagedChannel channel(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
        .keepAliveTime(CLIENT_PING.toNanos(), TimeUnit.NANOSECONDS).keepAliveWithoutCalls(true)
        .build();
  }

  /** One BeatStream: what it answered (replies, then an error or "completed"), in order. */
  private static final class Stream {
    final BlockingQueue<Object> seen = new LinkedBlockingQueue<>(64);
    final StreamObserver<BeatRequest> requests;
    private final String agent;

    Stream(ManagedChannel channel, String agent) {
      this.agent = agent;
      this.requests = HeartbeatServiceGrpc.newStub(channel).beatStream(new StreamObserver<>() {
        @Override
        public void onNext(BeatReply r) {
          seen.offer(r);
        }

        @Override
        public void onError(Throwable t) {
          seen.offer(t);
        }

        @Override
        public void onCompleted() {
          seen.offer("completed");
        }
      });
    }

    Object beat(long seq) throws InterruptedException {
      requests.onNext(Wire.beat(agent, seq));
      return seen.poll(10, TimeUnit.SECONDS);
    }
  }
}
