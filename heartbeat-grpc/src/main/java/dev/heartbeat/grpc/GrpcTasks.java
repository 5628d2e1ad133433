package dev.heartbeat.grpc;

import dev.heartbeat.TaskCounts;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.grpc.v1.ClaimRenewals;
import dev.heartbeat.grpc.v1.ClaimRequest;
import dev.heartbeat.grpc.v1.EndRequest;
import dev.heartbeat.grpc.v1.ListTasksRequest;
import dev.heartbeat.grpc.v1.ProgressRequest;
import dev.heartbeat.grpc.v1.PruneTasksRequest;
import dev.heartbeat.grpc.v1.QueueRequest;
import dev.heartbeat.grpc.v1.SubmitRequest;
import dev.heartbeat.grpc.v1.TaskReply;
import dev.heartbeat.grpc.v1.TaskRequest;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.ClaimAnswer;
import dev.heartbeat.spi.ClaimRef;
import dev.heartbeat.spi.ClaimRenewal;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The task part of {@link GrpcStore}: every {@link TaskStore} call is one call to the server. */
final class GrpcTasks implements TaskStore {
  private final Remote remote;

  GrpcTasks(Remote remote) {
    this.remote = remote;
  }

  private static String req(String name, String value) {
    return Times.required(name, value);
  }

  @Override
  public TaskView submit(String queue, TaskSpec spec) {
    Times.notNull("spec", spec);
    return TaskProtos.task(remote.call("submit", s -> s.submit(SubmitRequest.newBuilder()
        .setQueue(req("queue", queue)).setSpec(TaskProtos.of(spec)).build())));
  }

  @Override
  public List<TaskClaim> claim(String queue, String worker, String incarnation, int max,
      Duration ttl) {
    ClaimRequest r = ClaimRequest.newBuilder().setQueue(req("queue", queue))
        .setWorker(req("worker", worker)).setIncarnation(req("incarnation", incarnation))
        .setMax(max).setTtl(Times.required("ttl", ttl)).build();
    return remote.call("claim", s -> s.claim(r)).getClaimsList().stream()
        .map(TaskProtos::claim).toList();
  }

  @Override
  public List<ClaimAnswer> renewClaims(List<ClaimRenewal> renewals) {
    ClaimRenewals.Builder m = ClaimRenewals.newBuilder();
    for (ClaimRenewal r : Times.notNull("renewals", renewals)) {
      m.addRenewals(dev.heartbeat.grpc.v1.ClaimRenewal.newBuilder()
          .setClaim(TaskProtos.of(r.claim())).setTtl(Times.of(r.ttl())));
    }
    return remote.call("renewClaims", s -> s.renewClaims(m.build())).getAnswersList().stream()
        .map(TaskProtos::answer).toList();
  }

  @Override
  public boolean progress(ClaimRef claim, String progress, Optional<String> checkpoint) {
    ProgressRequest.Builder m = ProgressRequest.newBuilder().setClaim(TaskProtos.of(claim))
        .setProgress(req("progress", progress));
    Times.notNull("checkpoint", checkpoint).ifPresent(m::setCheckpoint);
    return remote.call("progress", s -> s.progress(m.build())).getDone();
  }

  @Override
  public boolean end(ClaimRef claim, AttemptEnd end) {
    Times.notNull("end", end);
    EndRequest.Builder m = EndRequest.newBuilder().setClaim(TaskProtos.of(claim))
        .setOutcome(TaskProtos.outcome(end.outcome())).setNext(TaskProtos.state(end.next()))
        .setRetryIn(Times.of(end.retryIn()));
    end.errorClass().ifPresent(m::setErrorClass);
    end.message().ifPresent(m::setMessage);
    end.stackTrace().ifPresent(m::setStackTrace);
    end.text().ifPresent(m::setText);
    return remote.call("end", s -> s.end(m.build())).getDone();
  }

  @Override
  public Optional<TaskView> read(String queue, String id) {
    return task(remote.call("read", s -> s.getTask(ref(queue, id))));
  }

  @Override
  public List<TaskView> list(String queue, TaskState state, int limit) {
    ListTasksRequest r = ListTasksRequest.newBuilder().setQueue(req("queue", queue))
        .setState(TaskProtos.state(state)).setLimit(limit).build();
    return remote.call("list", s -> s.listTasks(r)).getTasksList().stream()
        .map(TaskProtos::task).toList();
  }

  @Override
  public TaskCounts counts(String queue) {
    QueueRequest r = QueueRequest.newBuilder().setQueue(req("queue", queue)).build();
    return TaskProtos.counts(remote.call("counts", s -> s.counts(r)));
  }

  @Override
  public Optional<TaskView> cancel(String queue, String id) {
    return task(remote.call("cancel", s -> s.cancel(ref(queue, id))));
  }

  @Override
  public Optional<TaskView> retry(String queue, String id) {
    return task(remote.call("retry", s -> s.retry(ref(queue, id))));
  }

  @Override
  public int prune(String queue, Instant before, int limit) {
    Times.notNull("before", before);
    PruneTasksRequest r = PruneTasksRequest.newBuilder().setQueue(req("queue", queue))
        .setBefore(Times.of(before)).setLimit(limit).build();
    return (int) remote.call("prune", s -> s.pruneTasks(r)).getCount();
  }

  private static TaskRequest ref(String queue, String id) {
    return TaskRequest.newBuilder().setQueue(req("queue", queue)).setId(req("id", id)).build();
  }

  private static Optional<TaskView> task(TaskReply reply) {
    return reply.hasTask() ? Optional.of(TaskProtos.task(reply.getTask())) : Optional.empty();
  }
}
