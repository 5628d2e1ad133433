package dev.heartbeat.examples.faults;

import dev.heartbeat.TaskCounts;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.ClaimAnswer;
import dev.heartbeat.spi.ClaimRef;
import dev.heartbeat.spi.ClaimRenewal;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskStore;
import dev.heartbeat.tck.ForwardingStore;
import dev.heartbeat.tck.ForwardingTaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The real store of a worker process, passed through, with the worker's task calls written to
 * its {@link RunLog}: each claim made, each renewal's answer (with when it was sent, which is
 * where the worker's local validity of the claim starts), and whether each progress and end
 * write was accepted. This is how the log knows whether a run's end was accepted: the engine
 * tells its handler nothing after it returns.
 */
final class RecordingStore extends ForwardingStore {
  private final Optional<TaskStore> tasks;

  RecordingStore(HeartbeatStore store, RunLog log) {
    super(store);
    this.tasks = Optional.of(new Tasks(store.tasks().orElseThrow(() ->
        new IllegalArgumentException("store keeps no tasks: " + store.describe())), log));
  }

  @Override
  public Optional<TaskStore> tasks() {
    return tasks;
  }

  /** Task calls passed through and logged. */
  private static final class Tasks extends ForwardingTaskStore {
    private final TaskStore tasks;
    private final RunLog log;

    Tasks(TaskStore tasks, RunLog log) {
      super(tasks);
      this.tasks = tasks;
      this.log = log;
    }

    @Override
    public List<TaskClaim> claim(String queue, String worker, String incarnation, int max,
        Duration ttl) {
      long sent = RunLog.wall();
      List<TaskClaim> claims = tasks.claim(queue, worker, incarnation, max, ttl);
      for (TaskClaim c : claims) {
        log.write("CLAIMED", c.task().id(), c.claim().token(), sent);
      }
      return claims;
    }

    @Override
    public List<ClaimAnswer> renewClaims(List<ClaimRenewal> renewals) {
      long sent = RunLog.wall();
      List<ClaimAnswer> answers;
      try {
        answers = tasks.renewClaims(renewals);
      } catch (RuntimeException e) {
        log.write("RENEW_FAILED", sent);
        throw e;
      }
      for (int i = 0; i < answers.size() && i < renewals.size(); i++) {
        ClaimRef claim = renewals.get(i).claim();
        log.write(answers.get(i).held() ? "RENEWED" : "RENEW_LOST", claim.taskId(),
            claim.token(), sent);
      }
      return answers;
    }

    @Override
    public boolean progress(ClaimRef claim, String progress, Optional<String> checkpoint) {
      long sent = RunLog.wall();
      try {
        boolean accepted = tasks.progress(claim, progress, checkpoint);
        log.write("PROGRESS", claim.taskId(), claim.token(), accepted ? "accepted" : "refused",
            sent);
        return accepted;
      } catch (RuntimeException e) {
        log.write("PROGRESS", claim.taskId(), claim.token(), "error", sent);
        throw e;
      }
    }

    @Override
    public boolean end(ClaimRef claim, AttemptEnd end) {
      long sent = RunLog.wall();
      String answer = "error";
      try {
        boolean accepted = tasks.end(claim, end);
        answer = accepted ? "accepted" : "refused";
        return accepted;
      } finally {
        log.write("END", claim.taskId(), claim.token(), end.outcome(), answer, sent,
            RunLog.wall());
      }
    }
  }
}
