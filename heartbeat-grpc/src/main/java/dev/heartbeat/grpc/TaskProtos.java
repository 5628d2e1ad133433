package dev.heartbeat.grpc;

import dev.heartbeat.Attempt;
import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskCounts;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.grpc.v1.Task;
import dev.heartbeat.spi.ClaimAnswer;
import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.ClaimRef;
import dev.heartbeat.spi.TaskClaim;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Tasks, attempts, claims and counts to and from their messages. */
final class TaskProtos {
  private static final String OUTCOME = "OUTCOME_";

  private TaskProtos() {}

  static dev.heartbeat.grpc.v1.TaskSpec of(TaskSpec s) {
    return dev.heartbeat.grpc.v1.TaskSpec.newBuilder().setId(s.id()).setPayload(s.payload())
        .setAttemptTimeout(Times.of(s.attemptTimeout()))
        .setProgressTimeout(Times.of(s.progressTimeout())).setMaxAttempts(s.maxAttempts())
        .setMaxLost(s.maxLost()).setRetryDelay(Times.of(s.retryDelay()))
        .setMaxRetryDelay(Times.of(s.maxRetryDelay())).build();
  }

  /**
   * The spec a message carries, checked field by field first, so that a bad one is refused
   * naming the field as the .proto spells it ({@code spec.attempt_timeout must be positive}).
   */
  static TaskSpec spec(dev.heartbeat.grpc.v1.TaskSpec m) {
    Checks.id("spec.id", m.getId());
    Checks.payload("spec.payload", m.getPayload(), TaskSpec.MAX_PAYLOAD_LENGTH);
    Checks.positive("spec.attempt_timeout", Times.duration(m.getAttemptTimeout()));
    Checks.positive("spec.progress_timeout", Times.duration(m.getProgressTimeout()));
    Checks.atLeast("spec.max_attempts", m.getMaxAttempts(), 1);
    Checks.atLeast("spec.max_lost", m.getMaxLost(), 1);
    Duration retry = Checks.positive("spec.retry_delay", Times.duration(m.getRetryDelay()));
    Duration max = Checks.positive("spec.max_retry_delay", Times.duration(m.getMaxRetryDelay()));
    if (max.compareTo(retry) < 0) {
      throw new IllegalArgumentException("spec.max_retry_delay must be at least spec.retry_delay ("
          + retry + "), got " + max);
    }
    return new TaskSpec(m.getId(), m.getPayload(), Times.duration(m.getAttemptTimeout()),
        Times.duration(m.getProgressTimeout()), m.getMaxAttempts(), m.getMaxLost(),
        Times.duration(m.getRetryDelay()), Times.duration(m.getMaxRetryDelay()));
  }

  static dev.heartbeat.grpc.v1.Attempt of(Attempt a) {
    dev.heartbeat.grpc.v1.Attempt.Builder m = dev.heartbeat.grpc.v1.Attempt.newBuilder()
        .setNumber(a.number()).setWorker(a.worker()).setIncarnation(a.incarnation())
        .setToken(a.token()).setStartedAt(Times.of(a.startedAt()));
    a.endedAt().ifPresent(e -> m.setEndedAt(Times.of(e)));
    a.outcome().ifPresent(o -> m.setOutcome(outcome(o)));
    a.errorClass().ifPresent(m::setErrorClass);
    a.message().ifPresent(m::setMessage);
    a.stackTrace().ifPresent(m::setStackTrace);
    return m.build();
  }

  static Attempt attempt(dev.heartbeat.grpc.v1.Attempt m) {
    boolean ended = m.getOutcome() != dev.heartbeat.grpc.v1.AttemptOutcome
        .ATTEMPT_OUTCOME_UNSPECIFIED;
    return new Attempt(m.getNumber(), m.getWorker(), m.getIncarnation(), m.getToken(),
        Times.instant(m.getStartedAt()), Times.instant(m.hasEndedAt(), m.getEndedAt()),
        ended ? Optional.of(outcome(m.getOutcome())) : Optional.empty(),
        opt(m.hasErrorClass(), m.getErrorClass()), opt(m.hasMessage(), m.getMessage()),
        opt(m.hasStackTrace(), m.getStackTrace()));
  }

  static Task of(TaskView t) {
    Task.Builder m = Task.newBuilder().setQueue(t.queue()).setSpec(of(t.spec()))
        .setState(state(t.state())).setToken(t.token()).setDueAt(Times.of(t.dueAt()))
        .setFailures(t.failures()).setLost(t.lost()).setCancelRequested(t.cancelRequested())
        .setCreatedAt(Times.of(t.createdAt())).setUpdatedAt(Times.of(t.updatedAt()));
    t.worker().ifPresent(m::setWorker);
    t.claimExpiresAt().ifPresent(e -> m.setClaimExpiresAt(Times.of(e)));
    t.progress().ifPresent(m::setProgress);
    t.checkpoint().ifPresent(m::setCheckpoint);
    t.output().ifPresent(m::setOutput);
    t.reason().ifPresent(m::setReason);
    t.attempts().forEach(a -> m.addAttempts(of(a)));
    return m.build();
  }

  static TaskView task(Task m) {
    List<Attempt> attempts = new ArrayList<>(m.getAttemptsCount());
    m.getAttemptsList().forEach(a -> attempts.add(attempt(a)));
    return new TaskView(m.getQueue(), spec(m.getSpec()), state(m.getState()), m.getToken(),
        opt(m.hasWorker(), m.getWorker()),
        Times.instant(m.hasClaimExpiresAt(), m.getClaimExpiresAt()), Times.instant(m.getDueAt()),
        m.getFailures(), m.getLost(), opt(m.hasProgress(), m.getProgress()),
        opt(m.hasCheckpoint(), m.getCheckpoint()), opt(m.hasOutput(), m.getOutput()),
        opt(m.hasReason(), m.getReason()), m.getCancelRequested(),
        Times.instant(m.getCreatedAt()), Times.instant(m.getUpdatedAt()), attempts);
  }

  static dev.heartbeat.grpc.v1.ClaimRef of(ClaimRef c) {
    if (c == null) {
      throw new IllegalArgumentException("claim must not be null");
    }
    return dev.heartbeat.grpc.v1.ClaimRef.newBuilder().setQueue(c.queue())
        .setTaskId(c.taskId()).setWorker(c.worker()).setToken(c.token()).build();
  }

  /** The claim a message carries, refused naming the field ({@code claim.task_id ...}). */
  static ClaimRef claim(dev.heartbeat.grpc.v1.ClaimRef m) {
    return claim("claim.", m);
  }

  /** As {@link #claim(dev.heartbeat.grpc.v1.ClaimRef)}, its fields named after {@code path}. */
  static ClaimRef claim(String path, dev.heartbeat.grpc.v1.ClaimRef m) {
    Checks.id(path + "queue", m.getQueue());
    Checks.id(path + "task_id", m.getTaskId());
    Checks.id(path + "worker", m.getWorker());
    Checks.atLeast(path + "token", m.getToken(), 1);
    return new ClaimRef(m.getQueue(), m.getTaskId(), m.getWorker(), m.getToken());
  }

  static dev.heartbeat.grpc.v1.TaskClaim of(TaskClaim c) {
    return dev.heartbeat.grpc.v1.TaskClaim.newBuilder().setTask(of(c.task()))
        .setClaim(of(c.claim())).build();
  }

  static TaskClaim claim(dev.heartbeat.grpc.v1.TaskClaim m) {
    return new TaskClaim(task(m.getTask()), claim(m.getClaim()));
  }

  static dev.heartbeat.grpc.v1.ClaimAnswer of(ClaimAnswer a) {
    dev.heartbeat.grpc.v1.ClaimAnswer.Builder m = dev.heartbeat.grpc.v1.ClaimAnswer.newBuilder()
        .setCancelRequested(a.cancelRequested());
    a.expiresAt().ifPresent(e -> m.setExpiresAt(Times.of(e)));
    return m.build();
  }

  static ClaimAnswer answer(dev.heartbeat.grpc.v1.ClaimAnswer m) {
    return new ClaimAnswer(Times.instant(m.hasExpiresAt(), m.getExpiresAt()),
        m.getCancelRequested());
  }

  static dev.heartbeat.grpc.v1.TaskCounts of(TaskCounts c) {
    dev.heartbeat.grpc.v1.TaskCounts.Builder m = dev.heartbeat.grpc.v1.TaskCounts.newBuilder();
    c.byState().forEach((s, n) -> m.putByState(s.name(), n));
    return m.build();
  }

  static TaskCounts counts(dev.heartbeat.grpc.v1.TaskCounts m) {
    Map<TaskState, Long> by = new EnumMap<>(TaskState.class);
    for (TaskState s : TaskState.values()) {
      by.put(s, m.getByStateOrDefault(s.name(), 0L));
    }
    return new TaskCounts(by);
  }

  static dev.heartbeat.grpc.v1.TaskState state(TaskState s) {
    if (s == null) {
      throw new IllegalArgumentException("state must not be null");
    }
    return dev.heartbeat.grpc.v1.TaskState.valueOf(s.name());
  }

  static TaskState state(dev.heartbeat.grpc.v1.TaskState s) {
    if (s == dev.heartbeat.grpc.v1.TaskState.TASK_STATE_UNSPECIFIED
        || s == dev.heartbeat.grpc.v1.TaskState.UNRECOGNIZED) {
      throw new IllegalArgumentException("state must be a task state, got " + s);
    }
    return TaskState.valueOf(s.name());
  }

  static dev.heartbeat.grpc.v1.AttemptOutcome outcome(AttemptOutcome o) {
    if (o == null) {
      throw new IllegalArgumentException("outcome must not be null");
    }
    return dev.heartbeat.grpc.v1.AttemptOutcome.valueOf(OUTCOME + o.name());
  }

  static AttemptOutcome outcome(dev.heartbeat.grpc.v1.AttemptOutcome o) {
    if (!o.name().startsWith(OUTCOME)) {
      throw new IllegalArgumentException("outcome must be an attempt outcome, got " + o);
    }
    return AttemptOutcome.valueOf(o.name().substring(OUTCOME.length()));
  }

  static Optional<String> opt(boolean present, String value) {
    return present ? Optional.of(value) : Optional.empty();
  }
}
