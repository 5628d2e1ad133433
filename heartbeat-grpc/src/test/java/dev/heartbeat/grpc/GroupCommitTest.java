package dev.heartbeat.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.grpc.v1.BeatReply;
import dev.heartbeat.grpc.v1.BeatRequest;
import dev.heartbeat.grpc.v1.HeartbeatServiceGrpc;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.ForwardingStore;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server writes the beats of its {@code Beat} and {@code BeatStream} calls by group commit:
 * beats arriving while a batch is written go to the store together in one {@code recordAll}, and
 * each call still gets the answer for its own beat. The store is a real memory store behind a
 * wrapper that counts its calls and holds batches until the test lets them go.
 */
class GroupCommitTest {
  /** A memory store whose beat writes are counted and held until {@link #release}. */
  static final class HeldStore extends ForwardingStore {
    final AtomicInteger records = new AtomicInteger();
    final List<Integer> batches = new CopyOnWriteArrayList<>();
    final AtomicInteger held = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);

    HeldStore(MemoryStore memory) {
      super(memory);
    }

    @Override
    public Optional<Heartbeat> record(Beat beat) {
      records.incrementAndGet();
      hold();
      return super.record(beat);
    }

    @Override
    public List<Optional<Heartbeat>> recordAll(List<Beat> beats) {
      batches.add(beats.size());
      hold();
      return super.recordAll(beats);
    }

    private void hold() {
      held.incrementAndGet();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    protected <T> T around(String operation, Supplier<T> call) {
      return call.get();
    }
  }

  private final MemoryStore memory = new MemoryStore();
  private final HeldStore store = new HeldStore(memory);
  private HeartbeatGrpcServer server;
  private ManagedChannel channel;

  private void start(HeartbeatGrpcServerBuilder b) {
    server = b.start();
    channel = Wire.plaintext(server.port());
  }

  @AfterEach
  void stop() {
    store.release.countDown();
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.close();
    }
    memory.close();
  }

  private void register(String agentId) {
    memory.register(new Beat(agentId, "i-1", 0, Optional.empty(), AgentStatus.IDLE,
        OptionalDouble.empty(), Optional.empty(), false, Optional.empty()));
  }

  /** A {@code BeatStream} of the test: what it sends, and the replies and status it gets. */
  private final class Stream implements StreamObserver<BeatReply> {
    final LinkedBlockingQueue<BeatReply> replies = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> ended = new CompletableFuture<>();
    final StreamObserver<BeatRequest> in;

    Stream() {
      in = HeartbeatServiceGrpc.newStub(channel).beatStream(this);
    }

    BeatReply next() throws InterruptedException {
      BeatReply r = replies.poll(20, TimeUnit.SECONDS);
      assertThat(r).as("a reply within 20 s").isNotNull();
      return r;
    }

    @Override
    public void onNext(BeatReply reply) {
      replies.add(reply);
    }

    @Override
    public void onError(Throwable t) {
      ended.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      ended.complete(Status.OK);
    }
  }

  /** Sends one beat of each agent after the other, each held by a writer of its own. */
  private void holdBothWriters(String... agents) {
    assertThat(agents).hasSize(BeatBatcher.DEFAULT_WRITERS);
    for (int i = 0; i < agents.length; i++) {
      register(agents[i]);
      new Stream().in.onNext(Wire.beat(agents[i], 1));
      int held = i + 1;
      Await.until("writer " + held + " holds a batch", () -> store.held.get() == held);
    }
  }

  @Test
  void beatsOfManyStreamsGoToTheStoreInFarFewerCallsEachAnsweredItsOwn() throws Exception {
    start(HeartbeatGrpcServer.builder(store));
    holdBothWriters("held-1", "held-2");
    int n = 200;
    List<Stream> streams = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      register("a-" + i);
      Stream s = new Stream();
      streams.add(s);
      s.in.onNext(Wire.beat("a-" + i, 1));
    }
    Await.until("the beats wait for the next batch", () -> server.beatsWaiting() == n);
    store.release.countDown();
    for (int i = 0; i < n; i++) {
      BeatReply r = streams.get(i).next();
      assertThat(r.getState().getAgentId()).isEqualTo("a-" + i);
      assertThat(r.getState().getSequence()).isEqualTo(1);
      assertThat(memory.agent("a-" + i).orElseThrow().sequence()).isEqualTo(1);
    }
    assertThat(store.records).as("single-beat store calls").hasValue(0);
    assertThat(store.batches).as("the 200 beats that waited went in one store call")
        .containsExactlyInAnyOrder(1, 1, n);
    for (Stream s : streams) {
      s.in.onCompleted();
      assertThat(s.ended.get(20, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    }
  }

  @Test
  void aStaleBeatInABatchIsToldToItsStreamOnly() throws Exception {
    start(HeartbeatGrpcServer.builder(store));
    register("a");
    register("b");
    memory.record(AgentProtos.beat(Wire.beat("a", 10)));
    holdBothWriters("held-1", "held-2");
    Stream a = new Stream();
    Stream b = new Stream();
    a.in.onNext(Wire.beat("a", 3)); // stale: 10 is stored
    b.in.onNext(Wire.beat("b", 2));
    Await.until("both beats wait for the next batch", () -> server.beatsWaiting() == 2);
    store.release.countDown();

    BeatReply toA = a.next();
    assertThat(toA.getState().getSequence()).as("the newer state that made a's beat stale")
        .isEqualTo(10);
    BeatReply toB = b.next();
    assertThat(toB.getState().getAgentId()).isEqualTo("b");
    assertThat(toB.getState().getSequence()).as("b's own beat, stored").isEqualTo(2);
    assertThat(store.batches).contains(2);

    a.in.onNext(Wire.beat("a", 11)); // a's stream goes on
    assertThat(a.next().getState().getSequence()).isEqualTo(11);
    assertThat(a.ended).isNotDone();
    assertThat(b.ended).isNotDone();
  }

  @Test
  void aFullQueueRefusesTheBeatResourceExhaustedNamingTheLimit() throws Exception {
    start(HeartbeatGrpcServer.builder(store).beatBatching(100, 2));
    holdBothWriters("held-1", "held-2");
    register("a");
    var stub = HeartbeatServiceGrpc.newBlockingStub(channel);
    List<CompletableFuture<BeatReply>> waiting = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      long seq = i;
      waiting.add(CompletableFuture.supplyAsync(() -> stub.withDeadlineAfter(30, TimeUnit.SECONDS)
          .beat(Wire.beat("a", seq)), Thread.ofPlatform()::start));
    }
    Await.until("two beats wait", () -> server.beatsWaiting() == 2);

    assertThatThrownBy(() -> stub.withDeadlineAfter(10, TimeUnit.SECONDS)
        .beat(Wire.beat("a", 3))).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          assertThat(e.getStatus().getDescription()).contains("2 beats waiting", "limit");
        });

    store.release.countDown();
    for (CompletableFuture<BeatReply> w : waiting) {
      assertThat(w.get(20, TimeUnit.SECONDS).getState().getAgentId()).isEqualTo("a");
    }
    assertThat(stub.withDeadlineAfter(10, TimeUnit.SECONDS).beat(Wire.beat("a", 4))
        .getState().getSequence()).as("served again once the queue drained").isEqualTo(4);
  }

  @Test
  void aStoreFailingABatchEndsEachOfItsStreamsUnavailable() throws Exception {
    start(HeartbeatGrpcServer.builder(new ForwardingStore(memory) {
      @Override
      public List<Optional<Heartbeat>> recordAll(List<Beat> beats) {
        throw new dev.heartbeat.HeartbeatStoreException("test store", "recordAll",
            new java.io.IOException("connection reset"));
      }
    }));
    register("a");
    Stream a = new Stream();
    a.in.onNext(Wire.beat("a", 1));
    Status s = a.ended.get(20, TimeUnit.SECONDS);
    assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(s.getDescription()).contains("connection reset");
  }
}
