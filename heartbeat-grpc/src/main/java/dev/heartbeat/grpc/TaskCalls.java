package dev.heartbeat.grpc;

import dev.heartbeat.Attempt;
import dev.heartbeat.grpc.v1.Answer;
import dev.heartbeat.grpc.v1.ClaimAnswers;
import dev.heartbeat.grpc.v1.ClaimRenewals;
import dev.heartbeat.grpc.v1.ClaimRequest;
import dev.heartbeat.grpc.v1.Count;
import dev.heartbeat.grpc.v1.EndRequest;
import dev.heartbeat.grpc.v1.ListTasksRequest;
import dev.heartbeat.grpc.v1.ProgressRequest;
import dev.heartbeat.grpc.v1.PruneTasksRequest;
import dev.heartbeat.grpc.v1.QueueRequest;
import dev.heartbeat.grpc.v1.SubmitRequest;
import dev.heartbeat.grpc.v1.Task;
import dev.heartbeat.grpc.v1.TaskClaims;
import dev.heartbeat.grpc.v1.TaskCounts;
import dev.heartbeat.grpc.v1.TaskReply;
import dev.heartbeat.grpc.v1.TaskRequest;
import dev.heartbeat.grpc.v1.Tasks;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.ClaimRef;
import dev.heartbeat.spi.ClaimRenewal;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.TaskStore;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The task calls of the service: each request turned into one {@link TaskStore} call. */
final class TaskCalls {
  private final HeartbeatStore store;

  TaskCalls(HeartbeatStore store) {
    this.store = store;
  }

  private TaskStore tasks() {
    return store.tasks().orElseThrow(() -> Status.FAILED_PRECONDITION
        .withDescription(store.describe() + " keeps no tasks").asRuntimeException());
  }

  Task submit(SubmitRequest r) {
    return TaskProtos.of(tasks().submit(r.getQueue(), TaskProtos.spec(r.getSpec())));
  }

  TaskClaims claim(ClaimRequest r) {
    Checks.positive("ttl", Times.duration(r.getTtl()));
    TaskClaims.Builder m = TaskClaims.newBuilder();
    tasks().claim(r.getQueue(), r.getWorker(), r.getIncarnation(), r.getMax(),
        Times.duration(r.getTtl())).forEach(c -> m.addClaims(TaskProtos.of(c)));
    return m.build();
  }

  ClaimAnswers renewClaims(ClaimRenewals r) {
    Calls.bound("renewals", r.getRenewalsCount(), StoreService.MAX_BATCH);
    List<ClaimRenewal> renewals = new ArrayList<>(r.getRenewalsCount());
    for (int i = 0; i < r.getRenewalsCount(); i++) {
      dev.heartbeat.grpc.v1.ClaimRenewal c = r.getRenewals(i);
      String at = "renewals[" + i + "].";
      renewals.add(new ClaimRenewal(TaskProtos.claim(at + "claim.", c.getClaim()),
          Checks.positive(at + "ttl", Times.duration(c.getTtl()))));
    }
    ClaimAnswers.Builder m = ClaimAnswers.newBuilder();
    tasks().renewClaims(renewals).forEach(a -> m.addAnswers(TaskProtos.of(a)));
    return m.build();
  }

  Answer progress(ProgressRequest r) {
    return StoreService.answer(tasks().progress(TaskProtos.claim(r.getClaim()), r.getProgress(),
        TaskProtos.opt(r.hasCheckpoint(), r.getCheckpoint())));
  }

  Answer end(EndRequest r) {
    ClaimRef claim = TaskProtos.claim(r.getClaim());
    if (r.hasMessage()) {
      Checks.text("message", r.getMessage());
    }
    if (r.hasStackTrace()) {
      Checks.payload("stack_trace", r.getStackTrace(), Attempt.MAX_STACK_LENGTH);
    }
    if (Times.duration(r.getRetryIn()).isNegative()) {
      throw new IllegalArgumentException("retry_in must not be negative, got "
          + Times.duration(r.getRetryIn()));
    }
    if (r.hasText()) {
      Checks.payload("text", r.getText(), dev.heartbeat.TaskSpec.MAX_PAYLOAD_LENGTH);
    }
    AttemptEnd end = new AttemptEnd(TaskProtos.outcome(r.getOutcome()),
        TaskProtos.opt(r.hasErrorClass(), r.getErrorClass()),
        TaskProtos.opt(r.hasMessage(), r.getMessage()),
        TaskProtos.opt(r.hasStackTrace(), r.getStackTrace()), TaskProtos.state(r.getNext()),
        Times.duration(r.getRetryIn()), TaskProtos.opt(r.hasText(), r.getText()));
    return StoreService.answer(tasks().end(claim, end));
  }

  TaskReply getTask(TaskRequest r) {
    return reply(tasks().read(r.getQueue(), r.getId()));
  }

  Tasks listTasks(ListTasksRequest r) {
    Tasks.Builder m = Tasks.newBuilder();
    tasks().list(r.getQueue(), TaskProtos.state(r.getState()), r.getLimit())
        .forEach(t -> m.addTasks(TaskProtos.of(t)));
    return m.build();
  }

  TaskCounts counts(QueueRequest r) {
    return TaskProtos.of(tasks().counts(r.getQueue()));
  }

  TaskReply cancel(TaskRequest r) {
    return reply(tasks().cancel(r.getQueue(), r.getId()));
  }

  TaskReply retry(TaskRequest r) {
    return reply(tasks().retry(r.getQueue(), r.getId()));
  }

  Count pruneTasks(PruneTasksRequest r) {
    return Count.newBuilder().setCount(tasks().prune(r.getQueue(),
        Times.instant(r.getBefore()), r.getLimit())).build();
  }

  private static TaskReply reply(Optional<dev.heartbeat.TaskView> task) {
    TaskReply.Builder m = TaskReply.newBuilder();
    task.ifPresent(t -> m.setTask(TaskProtos.of(t)));
    return m.build();
  }
}
