package dev.heartbeat.redis;

import dev.heartbeat.Attempt;
import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns a task hash into a {@link TaskView}, and encodes what the task scripts store. A task
 * hash holds the spec ({@code id}, {@code payload}, durations as {@link Duration#toString()},
 * limits), the state and its fields (instants in microseconds of the store's clock; an optional
 * text is a field that is absent when empty) and the kept attempts as fields {@code a:N}, each
 * {@code '\0'}-separated: number, worker, incarnation, token, start, and for an ended attempt its
 * end, outcome, error class, message and stack trace ({@code ""} when absent, else {@code "="}
 * and the value). A missing or malformed field throws {@link Records.Unreadable}.
 */
final class TaskRecords {
  private static final char SEP = '\0';

  private TaskRecords() {}

  /** The fields of a script answer given as HGETALL gives them: field, value, field, value... */
  static Map<String, String> fields(Object answer) {
    if (!(answer instanceof List<?> flat)) {
      throw new Records.Unreadable("the script answered " + answer + ", not a hash");
    }
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      out.put((String) flat.get(i), (String) flat.get(i + 1));
    }
    return out;
  }

  static TaskView view(String queue, Map<String, String> f) {
    try {
      TaskSpec spec = new TaskSpec(required(f, "id"), f.getOrDefault("payload", ""),
          duration(f, "at"), duration(f, "pt"), (int) number(f, "ma"), (int) number(f, "ml"),
          duration(f, "rd"), duration(f, "mrd"));
      TaskState state = TaskState.valueOf(required(f, "state"));
      boolean running = state == TaskState.IN_PROGRESS;
      return new TaskView(queue, spec, state, number(f, "token"),
          running ? Optional.of(required(f, "worker")) : Optional.empty(),
          running ? Optional.of(Records.instant(number(f, "exp"))) : Optional.empty(),
          Records.instant(number(f, "due")), (int) number(f, "fail"), (int) number(f, "lost"),
          Optional.ofNullable(f.get("progress")), Optional.ofNullable(f.get("cp")),
          Optional.ofNullable(f.get("out")), Optional.ofNullable(f.get("reason")),
          "1".equals(f.get("cancel")), Records.instant(number(f, "created")),
          Records.instant(number(f, "updated")), attempts(f));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new Records.Unreadable(e.getMessage());
    }
  }

  private static List<Attempt> attempts(Map<String, String> f) {
    TreeMap<Long, String> byNumber = new TreeMap<>();
    for (Map.Entry<String, String> e : f.entrySet()) {
      if (e.getKey().startsWith("a:")) {
        byNumber.put(parse(e.getKey().substring(2), e.getKey()), e.getValue());
      }
    }
    List<Attempt> out = new ArrayList<>(byNumber.size());
    for (Map.Entry<Long, String> e : byNumber.entrySet()) {
      out.add(attempt("a:" + e.getKey(), e.getValue()));
    }
    return out;
  }

  private static Attempt attempt(String field, String value) {
    String[] p = value.split(String.valueOf(SEP), -1);
    if (p.length != 5 && p.length != 10) {
      throw new Records.Unreadable("field '" + field + "' has " + p.length + " parts, not 5 or 10");
    }
    boolean ended = p.length == 10;
    return new Attempt(Math.toIntExact(parse(p[0], field)), p[1], p[2], parse(p[3], field),
        Records.instant(parse(p[4], field)),
        ended ? Optional.of(Records.instant(parse(p[5], field))) : Optional.empty(),
        ended ? Optional.of(AttemptOutcome.valueOf(p[6])) : Optional.empty(),
        ended ? optional(p[7]) : Optional.empty(), ended ? optional(p[8]) : Optional.empty(),
        ended ? optional(p[9]) : Optional.empty());
  }

  /**
   * The end of an attempt record as {@code task_end.lua} appends it: error class, message and
   * stack trace. A NUL in the error class (which nothing checks) becomes U+2400, so that it
   * cannot split the record; message and stack trace cannot hold one.
   */
  static String tail(Optional<String> errorClass, Optional<String> message,
      Optional<String> stackTrace) {
    return present(errorClass.map(c -> c.replace(SEP, '\u2400'))) + SEP + present(message) + SEP
        + present(stackTrace);
  }

  /** An optional value as the scripts take it: {@code ""} when absent, else {@code "="} and it. */
  static String present(Optional<String> value) {
    return value.map(v -> "=" + v).orElse("");
  }

  private static Optional<String> optional(String part) {
    return part.isEmpty() ? Optional.empty() : Optional.of(part.substring(1));
  }

  private static Duration duration(Map<String, String> f, String field) {
    try {
      return Duration.parse(required(f, field));
    } catch (DateTimeParseException e) {
      throw new Records.Unreadable("field '" + field + "' is not a duration: '" + f.get(field)
          + "'");
    }
  }

  private static String required(Map<String, String> f, String field) {
    String value = f.get(field);
    if (value == null || value.isEmpty()) {
      throw new Records.Unreadable("field '" + field + "' is missing");
    }
    return value;
  }

  private static long number(Map<String, String> f, String field) {
    return parse(required(f, field), field);
  }

  private static long parse(String value, String field) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new Records.Unreadable("field '" + field + "' is not a number: '" + value + "'");
    }
  }
}
