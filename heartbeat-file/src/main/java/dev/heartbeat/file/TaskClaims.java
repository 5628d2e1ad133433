package dev.heartbeat.file;

import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskState;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.ClaimAnswer;
import dev.heartbeat.spi.ClaimRef;
import dev.heartbeat.spi.ClaimRenewal;
import dev.heartbeat.spi.StoreProblems;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskRules;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The claim steps of the file store's tasks, each run under the queue's lock: a claim (the
 * index's due candidates, oldest claimable first, each checked against its file; expired claims
 * taken over as the SPI says; tokens from the counter, written before the task files), a batch
 * renewal of one queue's claims, and the end of an attempt, by the rules of the in-memory store.
 */
final class TaskClaims {
  private final InstantSource clock;
  private final StoreProblems problems;

  TaskClaims(InstantSource clock, StoreProblems problems) {
    this.clock = clock;
    this.problems = problems;
  }

  List<TaskClaim> claim(TaskQueueFiles q, String worker, String incarnation, int max,
      Duration ttl) throws IOException {
    Instant now = clock.instant();
    TaskIndex before = q.index();
    TaskIndex after = before.copy();
    List<FileTask> changed = new ArrayList<>();
    List<FileTask> taken = new ArrayList<>();
    for (TaskIndex.Entry entry : before.due(now)) {
      if (taken.size() >= max) {
        break;
      }
      FileTask task;
      try {
        task = q.read(q.taskFile(entry.id()), entry.id());
      } catch (BadRecord e) {
        problems.report(q.taskFile(entry.id()).toString(), e.getMessage());
        continue; // skipped, and kept in the index: a repaired file is claimable again
      }
      if (task == null) {
        after.drop(entry.id()); // a submit that crashed before its task file
      } else if (!task.claimable(now)) {
        after.update(task, true); // the file decides: the entry was early
      } else if (task.state == TaskState.IN_PROGRESS && !takeOverLost(task, now)) {
        after.update(task, true);
        changed.add(task);
      } else {
        taken.add(task);
      }
    }
    List<TaskClaim> claims = new ArrayList<>(taken.size());
    if (!taken.isEmpty()) {
      long floor = q.counter(before.lastToken, false);
      for (FileTask task : taken) {
        floor = Math.max(floor, task.token);
      }
      after.lastToken = floor + taken.size();
      q.writeCounter(after.lastToken); // before any task file carries one of its tokens
      long token = floor;
      for (FileTask task : taken) {
        task.claim(worker, incarnation, ++token, now, now.plus(ttl));
        after.update(task, true);
        changed.add(task);
        claims.add(new TaskClaim(task.view(), new ClaimRef(q.queue, task.id(), worker, token)));
      }
    }
    q.save(before, after, changed);
    return claims;
  }

  /**
   * Ends the attempt of an expired claim as {@code WORKER_LOST}; true when the task may be
   * claimed again, false when it was blocked (poison) or cancelled (its cancel was requested).
   */
  static boolean takeOverLost(FileTask task, Instant now) {
    Optional<String> poison = TaskRules.afterLost(task.view());
    task.endAttempt(AttemptOutcome.WORKER_LOST, task.claimExpiresAt, Optional.empty(),
        Optional.of("the claim expired"), Optional.empty());
    if (task.cancelRequested) {
      task.reason = FileTaskStore.CANCEL_REASON;
      task.leave(TaskState.CANCELLED, now);
      return false;
    }
    if (poison.isPresent()) {
      task.reason = poison.get();
      task.leave(TaskState.BLOCKED, now);
      return false;
    }
    task.leave(TaskState.INBOX, now);
    return true;
  }

  /**
   * Cancels a task that is not final: an {@code INBOX} one at once; a running one whose claim
   * expired at once too (nobody could hear the request), its attempt ended {@code WORKER_LOST};
   * a running one by a request its worker hears on its next renewal. False when there is
   * nothing to write (asked before).
   */
  static boolean cancel(FileTask task, Instant now) {
    if (task.state == TaskState.INBOX) {
      task.reason = FileTaskStore.CANCEL_REASON;
      task.leave(TaskState.CANCELLED, now);
    } else if (task.claimExpired(now)) {
      task.cancelRequested = true;
      takeOverLost(task, now);
    } else if (!task.cancelRequested) {
      task.cancelRequested = true;
      task.updatedAt = now;
    } else {
      return false;
    }
    return true;
  }

  /** The indexes of {@code renewals} by queue, queues in first-seen order. */
  static Map<String, List<Integer>> byQueue(List<ClaimRenewal> renewals) {
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < renewals.size(); i++) {
      groups.computeIfAbsent(renewals.get(i).claim().queue(), k -> new ArrayList<>()).add(i);
    }
    return groups;
  }

  /** Renews the renewals at {@code indexes} (all of queue {@code q}) into {@code answers}. */
  void renew(TaskQueueFiles q, List<ClaimRenewal> renewals, List<Integer> indexes,
      ClaimAnswer[] answers) throws IOException {
    Instant now = clock.instant();
    Map<String, FileTask> loaded = new HashMap<>();
    Set<FileTask> changed = new LinkedHashSet<>();
    for (int i : indexes) {
      ClaimRef claim = renewals.get(i).claim();
      FileTask task = loaded.containsKey(claim.taskId()) ? loaded.get(claim.taskId())
          : q.load(claim.taskId());
      loaded.put(claim.taskId(), task);
      if (task == null || !task.heldBy(claim.worker(), claim.token(), now)) {
        answers[i] = ClaimAnswer.LOST;
        continue;
      }
      task.claimExpiresAt = now.plus(renewals.get(i).ttl());
      task.updatedAt = now;
      changed.add(task);
      answers[i] = new ClaimAnswer(Optional.of(task.claimExpiresAt), task.cancelRequested);
    }
    if (!changed.isEmpty()) {
      TaskIndex before = q.index();
      TaskIndex after = before.copy();
      changed.forEach(task -> after.update(task, true));
      q.save(before, after, changed);
    }
  }

  /** Ends the running attempt of a held task as {@code end} says (cancel requests win). */
  static void end(FileTask task, AttemptEnd end, Instant now) {
    task.endAttempt(end.outcome(), now, end.errorClass(), end.message(), end.stackTrace());
    TaskState next = end.next();
    if (next == TaskState.INBOX && task.cancelRequested) {
      next = TaskState.CANCELLED; // a cancel asked after the last renewal is not lost
      task.reason = FileTaskStore.CANCEL_REASON;
    }
    switch (next) {
      case DONE -> task.output = end.text().orElse(null);
      case INBOX -> task.dueAt = now.plus(end.retryIn());
      case BLOCKED -> task.reason = end.text().orElseThrow();
      case CANCELLED -> task.reason = end.text().orElse(task.reason);
      case IN_PROGRESS -> throw new IllegalStateException("unreachable: " + end);
    }
    task.leave(next, now);
  }
}
