package dev.heartbeat.grpc;

import com.google.protobuf.Timestamp;
import dev.heartbeat.StallDetector;
import dev.heartbeat.grpc.v1.AcquireRequest;
import dev.heartbeat.grpc.v1.AgentLimitRequest;
import dev.heartbeat.grpc.v1.AgentRecords;
import dev.heartbeat.grpc.v1.AgentReply;
import dev.heartbeat.grpc.v1.AgentRequest;
import dev.heartbeat.grpc.v1.Answer;
import dev.heartbeat.grpc.v1.BeatBatch;
import dev.heartbeat.grpc.v1.BeatReplies;
import dev.heartbeat.grpc.v1.BeatReply;
import dev.heartbeat.grpc.v1.BeatRequest;
import dev.heartbeat.grpc.v1.Count;
import dev.heartbeat.grpc.v1.Empty;
import dev.heartbeat.grpc.v1.HeartbeatServiceGrpc;
import dev.heartbeat.grpc.v1.LeaseReplies;
import dev.heartbeat.grpc.v1.LeaseReply;
import dev.heartbeat.grpc.v1.LeaseRequest;
import dev.heartbeat.grpc.v1.Leases;
import dev.heartbeat.grpc.v1.ProgressEvents;
import dev.heartbeat.grpc.v1.PruneRequest;
import dev.heartbeat.grpc.v1.ReleaseRequest;
import dev.heartbeat.grpc.v1.RenewBatch;
import dev.heartbeat.grpc.v1.RenewRequest;
import dev.heartbeat.grpc.v1.StoreInfo;
import dev.heartbeat.grpc.v1.StoreProblems;
import dev.heartbeat.grpc.v1.WatchRequest;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.LeaseRenewal;
import dev.heartbeat.spi.Retention;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The agents, leases and housekeeping calls of {@code heartbeat.v1.HeartbeatService}, each
 * forwarded to the store; the task calls go to {@link TaskCalls}.
 */
final class StoreService extends HeartbeatServiceGrpc.HeartbeatServiceImplBase {
  /** The most entries one batch call takes. */
  static final int MAX_BATCH = 10_000;

  private final HeartbeatStore store;
  private final Optional<StallDetector> detector;
  private final TaskCalls tasks;
  private final BeatBatcher beats;
  private final int watchBuffer;

  StoreService(HeartbeatStore store, Optional<StallDetector> detector, BeatBatcher beats,
      int watchBuffer) {
    this.store = store;
    this.detector = detector;
    this.tasks = new TaskCalls(store);
    this.beats = beats;
    this.watchBuffer = watchBuffer;
  }

  /** One beat of {@code Beat} or {@code BeatStream}, checked, then written in the next batch. */
  BeatReply record(BeatRequest request) {
    return reply(beats.record(AgentProtos.beat(request)));
  }

  BeatReply reply(Optional<dev.heartbeat.Heartbeat> state) {
    BeatReply.Builder m = BeatReply.newBuilder();
    state.ifPresent(h -> {
      m.setState(AgentProtos.of(h));
      detector.flatMap(d -> d.state(h.agentId())).ifPresent(s -> m.setDetectorState(s.name()));
    });
    return m.build();
  }

  @Override
  public void register(BeatRequest request, StreamObserver<BeatReply> out) {
    Calls.unary(out, () -> reply(Optional.of(store.register(AgentProtos.beat(request)))));
  }

  @Override
  public void beat(BeatRequest request, StreamObserver<BeatReply> out) {
    Calls.unary(out, () -> record(request));
  }

  @Override
  public StreamObserver<BeatRequest> beatStream(StreamObserver<BeatReply> out) {
    return new BeatStream(this, out);
  }

  @Override
  public void beatAll(BeatBatch request, StreamObserver<BeatReplies> out) {
    Calls.unary(out, () -> {
      Calls.bound("beats", request.getBeatsCount(), MAX_BATCH);
      List<Beat> beats = new ArrayList<>(request.getBeatsCount());
      for (int i = 0; i < request.getBeatsCount(); i++) {
        try {
          beats.add(AgentProtos.beat(request.getBeats(i)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("beats[" + i + "]." + e.getMessage(), e);
        }
      }
      BeatReplies.Builder m = BeatReplies.newBuilder();
      store.recordAll(beats).forEach(r -> m.addReplies(reply(r)));
      return m.build();
    });
  }

  @Override
  public void getAgent(AgentRequest request, StreamObserver<AgentReply> out) {
    Calls.unary(out, () -> {
      AgentReply.Builder m = AgentReply.newBuilder();
      store.agent(AgentProtos.agentId(request.getAgentId()))
          .ifPresent(h -> m.setState(AgentProtos.of(h)));
      return m.build();
    });
  }

  @Override
  public void listAgents(Empty request, StreamObserver<AgentRecords> out) {
    Calls.unary(out, () -> records(store.agents()));
  }

  @Override
  public void history(AgentLimitRequest request, StreamObserver<AgentRecords> out) {
    Calls.unary(out, () -> records(store.history(AgentProtos.agentId(request.getAgentId()),
        request.getLimit())));
  }

  private static AgentRecords records(List<dev.heartbeat.Heartbeat> list) {
    AgentRecords.Builder m = AgentRecords.newBuilder();
    list.forEach(h -> m.addRecords(AgentProtos.of(h)));
    return m.build();
  }

  @Override
  public void events(AgentLimitRequest request, StreamObserver<ProgressEvents> out) {
    Calls.unary(out, () -> {
      ProgressEvents.Builder m = ProgressEvents.newBuilder();
      store.events(AgentProtos.agentId(request.getAgentId()), request.getLimit())
          .forEach(e -> m.addEvents(AgentProtos.of(e)));
      return m.build();
    });
  }

  @Override
  public void prune(PruneRequest request, StreamObserver<Count> out) {
    Calls.unary(out, () -> Count.newBuilder().setCount(store.prune(
        new Retention(Times.duration(request.getMaxAge()), request.getKeepLast()))).build());
  }

  @Override
  public void forget(AgentRequest request, StreamObserver<Answer> out) {
    Calls.unary(out, () -> answer(store.forget(AgentProtos.agentId(request.getAgentId()))));
  }

  static Answer answer(boolean done) {
    return Answer.newBuilder().setDone(done).build();
  }

  @Override
  public void watch(WatchRequest request, StreamObserver<dev.heartbeat.grpc.v1.AgentChange> out) {
    WatchStream.start(detector, watchBuffer, out);
  }

  @Override
  public void tryAcquire(AcquireRequest request, StreamObserver<LeaseReply> out) {
    Calls.unary(out, () -> LeaseProtos.reply(store.tryAcquire(request.getName(),
        request.getHolder(), Times.duration(request.getTtl()))));
  }

  @Override
  public void renew(RenewRequest request, StreamObserver<LeaseReply> out) {
    Calls.unary(out, () -> LeaseProtos.reply(store.renew(request.getName(), request.getHolder(),
        request.getToken(), Times.duration(request.getTtl()))));
  }

  @Override
  public void renewAll(RenewBatch request, StreamObserver<LeaseReplies> out) {
    Calls.unary(out, () -> {
      Calls.bound("renewals", request.getRenewalsCount(), MAX_BATCH);
      List<LeaseRenewal> renewals = new ArrayList<>(request.getRenewalsCount());
      request.getRenewalsList().forEach(r -> renewals.add(new LeaseRenewal(r.getName(),
          r.getHolder(), r.getToken(), Times.duration(r.getTtl()))));
      LeaseReplies.Builder m = LeaseReplies.newBuilder();
      store.renewAll(renewals).forEach(l -> m.addReplies(LeaseProtos.reply(l)));
      return m.build();
    });
  }

  @Override
  public void release(ReleaseRequest request, StreamObserver<Answer> out) {
    Calls.unary(out, () -> answer(store.release(request.getName(), request.getHolder(),
        request.getToken())));
  }

  @Override
  public void getLease(LeaseRequest request, StreamObserver<LeaseReply> out) {
    Calls.unary(out, () -> LeaseProtos.reply(store.lease(request.getName())));
  }

  @Override
  public void listLeases(Empty request, StreamObserver<Leases> out) {
    Calls.unary(out, () -> {
      Leases.Builder m = Leases.newBuilder();
      store.leases().forEach(l -> m.addLeases(LeaseProtos.of(l)));
      return m.build();
    });
  }

  @Override
  public void describe(Empty request, StreamObserver<StoreInfo> out) {
    Calls.unary(out, () -> {
      StoreInfo.Builder m = StoreInfo.newBuilder().setDescription(store.describe())
          .setKeepsTasks(store.tasks().isPresent());
      store.maxLeaseTtl().ifPresent(t -> m.setMaxLeaseTtl(Times.of(t)));
      return m.build();
    });
  }

  @Override
  public void now(Empty request, StreamObserver<Timestamp> out) {
    Calls.unary(out, () -> Times.of(store.now()));
  }

  @Override
  public void problems(Empty request, StreamObserver<StoreProblems> out) {
    Calls.unary(out, () -> {
      StoreProblems.Builder m = StoreProblems.newBuilder();
      store.problems().forEach(p -> m.addProblems(LeaseProtos.of(p)));
      return m.build();
    });
  }

  // ---------------------------------------------------------------- tasks

  @Override
  public void submit(dev.heartbeat.grpc.v1.SubmitRequest request, StreamObserver<dev.heartbeat.grpc.v1.Task> out) {
    Calls.unary(out, () -> tasks.submit(request));
  }

  @Override
  public void claim(dev.heartbeat.grpc.v1.ClaimRequest request, StreamObserver<dev.heartbeat.grpc.v1.TaskClaims> out) {
    Calls.unary(out, () -> tasks.claim(request));
  }

  @Override
  public void renewClaims(dev.heartbeat.grpc.v1.ClaimRenewals request, StreamObserver<dev.heartbeat.grpc.v1.ClaimAnswers> out) {
    Calls.unary(out, () -> tasks.renewClaims(request));
  }

  @Override
  public void progress(dev.heartbeat.grpc.v1.ProgressRequest request, StreamObserver<dev.heartbeat.grpc.v1.Answer> out) {
    Calls.unary(out, () -> tasks.progress(request));
  }

  @Override
  public void end(dev.heartbeat.grpc.v1.EndRequest request, StreamObserver<dev.heartbeat.grpc.v1.Answer> out) {
    Calls.unary(out, () -> tasks.end(request));
  }

  @Override
  public void getTask(dev.heartbeat.grpc.v1.TaskRequest request, StreamObserver<dev.heartbeat.grpc.v1.TaskReply> out) {
    Calls.unary(out, () -> tasks.getTask(request));
  }

  @Override
  public void listTasks(dev.heartbeat.grpc.v1.ListTasksRequest request, StreamObserver<dev.heartbeat.grpc.v1.Tasks> out) {
    Calls.unary(out, () -> tasks.listTasks(request));
  }

  @Override
  public void counts(dev.heartbeat.grpc.v1.QueueRequest request, StreamObserver<dev.heartbeat.grpc.v1.TaskCounts> out) {
    Calls.unary(out, () -> tasks.counts(request));
  }

  @Override
  public void cancel(dev.heartbeat.grpc.v1.TaskRequest request, StreamObserver<dev.heartbeat.grpc.v1.TaskReply> out) {
    Calls.unary(out, () -> tasks.cancel(request));
  }

  @Override
  public void retry(dev.heartbeat.grpc.v1.TaskRequest request, StreamObserver<dev.heartbeat.grpc.v1.TaskReply> out) {
    Calls.unary(out, () -> tasks.retry(request));
  }

  @Override
  public void pruneTasks(dev.heartbeat.grpc.v1.PruneTasksRequest request, StreamObserver<dev.heartbeat.grpc.v1.Count> out) {
    Calls.unary(out, () -> tasks.pruneTasks(request));
  }
}
