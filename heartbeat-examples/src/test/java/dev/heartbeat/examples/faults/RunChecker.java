package dev.heartbeat.examples.faults;

import dev.heartbeat.Attempt;
import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.examples.faults.Runs.Run;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The judge of one fault run: the worker processes' logs ({@link Runs}) against the store's
 * final task records. It lists every violation of:
 * <ol>
 *   <li>every submitted task is in the store, in the state the test expects (DONE, or BLOCKED
 *       where the test made it so): nothing is lost;</li>
 *   <li>DONE is recorded once per DONE task (and never for another), by a run whose handler
 *       returned done and whose end was not refused;</li>
 *   <li>the store's attempts match the runs: each run's token is an attempt of the same number
 *       and worker; attempts' tokens grow; every end the store accepted (as the log says) is
 *       the outcome the store kept for that attempt;</li>
 *   <li>no task ran its handler in two runs at overlapping times unless the earlier had been
 *       fenced out: the store ended its attempt {@code WORKER_LOST} or {@code FENCED_OUT} and
 *       its own end write was not accepted;</li>
 *   <li>every log line was readable.</li>
 * </ol>
 * Wall times of different processes are compared: they run on one machine and one clock.
 */
final class RunChecker {
  private RunChecker() {}

  /**
   * The violations of {@code runs} against {@code tasks} (each submitted task's id to its final
   * record, empty when the store has none) and {@code expected} (each submitted task's id to the
   * state it must end in).
   */
  static List<String> violations(Runs runs, Map<String, Optional<TaskView>> tasks,
      Map<String, TaskState> expected) {
    List<String> out = new ArrayList<>();
    if (runs.unreadable > 0) {
      out.add(runs.unreadable + " log lines could not be read");
    }
    for (Map.Entry<String, TaskState> e : expected.entrySet()) {
      Optional<TaskView> task = tasks.getOrDefault(e.getKey(), Optional.empty());
      if (task.isEmpty()) {
        out.add(e.getKey() + ": lost (not in the store)");
        continue;
      }
      checkTask(task.get(), e.getValue(), runs, out);
    }
    for (Run r : runs.runs) {
      if (!expected.containsKey(r.task())) {
        out.add(r + ": a run of a task that was never submitted");
      }
    }
    return out;
  }

  private static void checkTask(TaskView task, TaskState expected, Runs runs, List<String> out) {
    String id = task.id();
    if (task.state() != expected) {
      out.add(id + ": ends " + task.state() + ", expected " + expected + "; attempts "
          + task.attempts());
    }
    List<Attempt> done = task.attempts().stream()
        .filter(a -> a.outcome().orElse(null) == AttemptOutcome.DONE).toList();
    int wantDone = task.state() == TaskState.DONE ? 1 : 0;
    if (done.size() != wantDone) {
      out.add(id + ": DONE recorded " + done.size() + " times in state " + task.state()
          + "; attempts " + task.attempts());
    }
    List<Run> mine = runs.runs.stream().filter(r -> r.task().equals(id))
        .sorted(Comparator.comparingLong(Run::token)).toList();
    for (Attempt a : done) {
      Optional<Run> run = mine.stream().filter(r -> r.token() == a.token()).findFirst();
      if (run.isEmpty() || !run.get().how().equals("done")
          || run.get().endWrite().orElse("").equals("refused")) {
        out.add(id + ": DONE recorded for token " + a.token() + " but its run was "
            + run.map(Run::toString).orElse("not logged"));
      }
    }
    long lastToken = 0;
    for (Attempt a : task.attempts()) {
      if (a.token() <= lastToken) {
        out.add(id + ": attempt " + a.number() + " has token " + a.token() + ", not above "
            + lastToken);
      }
      lastToken = a.token();
    }
    for (Run r : mine) {
      Optional<Attempt> a = attempt(task, r.token());
      if (a.isEmpty() || a.get().number() != r.attempt() || !a.get().worker().equals(r.worker())) {
        out.add(r + ": the store's attempt of that token is " + a.map(Attempt::toString)
            .orElse("missing"));
        continue;
      }
      for (String end : runs.ends.getOrDefault(r.claim(), List.of())) {
        String[] f = end.split(" ");
        if (f[1].equals("accepted") && !a.get().outcome().map(Enum::name).orElse("").equals(f[0])) {
          out.add(r + ": its end " + f[0] + " was accepted, but the store kept " + a.get());
        }
      }
    }
    checkOverlaps(task, mine, out);
  }

  private static void checkOverlaps(TaskView task, List<Run> mine, List<String> out) {
    for (int i = 0; i < mine.size(); i++) {
      for (int j = i + 1; j < mine.size(); j++) {
        Run first = mine.get(i);
        Run later = mine.get(j);
        if (!first.coversAfter(later.start())) {
          continue;
        }
        AttemptOutcome outcome = attempt(task, first.token()).flatMap(Attempt::outcome)
            .orElse(null);
        boolean fenced = (outcome == AttemptOutcome.WORKER_LOST
            || outcome == AttemptOutcome.FENCED_OUT)
            && !first.endWrite().orElse("").equals("accepted");
        if (!fenced) {
          out.add(task.id() + ": " + first + " overlaps " + later + " without being fenced out"
              + " (its attempt ended " + outcome + ")");
        }
      }
    }
  }

  private static Optional<Attempt> attempt(TaskView task, long token) {
    return task.attempts().stream().filter(a -> a.token() == token).findFirst();
  }
}
