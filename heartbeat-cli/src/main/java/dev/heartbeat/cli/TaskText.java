package dev.heartbeat.cli;

import dev.heartbeat.Attempt;
import dev.heartbeat.TaskCounts;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The text of {@code heartbeat tasks}: a counts line, a table of tasks, one task in full. */
final class TaskText {
  private static final int CELL = 48;

  private TaskText() {}

  static void counts(PrintWriter out, String store, String queue, TaskCounts counts) {
    StringBuilder b = new StringBuilder("queue " + queue + " on " + store + ":");
    for (TaskState s : TaskState.values()) {
      b.append("  ").append(s).append(' ').append(counts.of(s));
    }
    out.println(b);
  }

  static void table(PrintWriter out, List<TaskView> tasks) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ID", "STATE", "ATTEMPTS", "FAILURES", "LOST", "WORKER", "TOKEN",
        "DUE", "PROGRESS", "REASON"});
    for (TaskView t : tasks) {
      rows.add(new String[] {t.spec().id(), t.state().name(),
          Integer.toString(t.attempts().size()), Integer.toString(t.failures()),
          Integer.toString(t.lost()), t.worker().orElse("-"), Long.toString(t.token()),
          t.state() == TaskState.INBOX ? t.dueAt().toString() : "-",
          t.progress().orElse("-"), t.reason().orElse("-")});
    }
    print(out, rows);
  }

  static void task(PrintWriter out, String store, String queue, TaskView t) {
    out.println("task " + t.spec().id() + " in queue " + queue + " on " + store);
    out.println("  state        " + t.state() + (t.cancelRequested() ? " (cancel requested)" : ""));
    t.reason().ifPresent(r -> out.println("  reason       " + r));
    out.println("  token        " + t.token());
    t.worker().ifPresent(w -> out.println("  worker       " + w + ", claim expires "
        + t.claimExpiresAt().map(Object::toString).orElse("-")));
    out.println("  due          " + t.dueAt());
    out.println("  failures     " + t.failures() + " of " + t.spec().maxAttempts()
        + ", lost " + t.lost() + " of " + t.spec().maxLost());
    t.progress().ifPresent(p -> out.println("  progress     " + p));
    t.checkpoint().ifPresent(c -> out.println("  checkpoint   " + cut(c)));
    t.output().ifPresent(o -> out.println("  output       " + cut(o)));
    out.println("  created      " + t.createdAt() + ", updated " + t.updatedAt());
    out.println("  payload      " + cut(t.spec().payload()));
    out.println("  attempts     " + t.attempts().size());
    for (Attempt a : t.attempts()) {
      out.println("    #" + a.number() + " " + a.outcome().map(Enum::name).orElse("RUNNING")
          + " on " + a.worker() + " (" + a.incarnation() + ", token " + a.token() + ") "
          + a.startedAt() + " .. " + a.endedAt().map(Object::toString).orElse("now"));
      a.message().ifPresent(m -> out.println("       " + cut(m)));
    }
  }

  /** One line, at most {@value #CELL} characters of it in a table cell. */
  private static String cell(String text) {
    String line = text.replaceAll("\\s+", " ");
    return line.length() <= CELL ? line : line.substring(0, CELL - 3) + "...";
  }

  /** A long text on one line, at most 200 characters. */
  private static String cut(String text) {
    String line = text.replaceAll("\\s+", " ");
    return line.length() <= 200 ? line : line.substring(0, 197) + "...";
  }

  private static void print(PrintWriter out, List<String[]> rows) {
    int[] width = new int[rows.getFirst().length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        r[i] = cell(r[i]);
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder(" ");
      for (int i = 0; i < r.length; i++) {
        b.append(' ').append(r[i]).append(" ".repeat(width[i] - r[i].length() + 1));
      }
      out.println(b.toString().stripTrailing());
    }
  }
}
