package dev.heartbeat.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heartbeat.Attempt;
import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSON form of a task file: the spec, the state and its claim, the counts, the texts and the
 * attempts, with the store's {@code "format"} version. Reading is strict: a missing field, a
 * wrong type or a value the API's records refuse (a worker without a claim, a negative count,
 * more than {@link TaskView#MAX_ATTEMPTS_KEPT} attempts) is a {@link BadRecord}.
 */
final class TaskJson {
  private TaskJson() {}

  static ObjectNode task(TaskView t) {
    TaskSpec s = t.spec();
    ObjectNode node = Json.object()
        .put("queue", t.queue())
        .put("id", s.id())
        .put("payload", s.payload())
        .put("attemptTimeout", s.attemptTimeout().toString())
        .put("progressTimeout", s.progressTimeout().toString())
        .put("maxAttempts", s.maxAttempts())
        .put("maxLost", s.maxLost())
        .put("retryDelay", s.retryDelay().toString())
        .put("maxRetryDelay", s.maxRetryDelay().toString())
        .put("state", t.state().name())
        .put("token", t.token())
        .put("worker", t.worker().orElse(null));
    Json.put(node, "claimExpiresAt", t.claimExpiresAt().orElse(null));
    Json.put(node, "dueAt", t.dueAt());
    node.put("failures", t.failures())
        .put("lost", t.lost())
        .put("progress", t.progress().orElse(null))
        .put("checkpoint", t.checkpoint().orElse(null))
        .put("output", t.output().orElse(null))
        .put("reason", t.reason().orElse(null))
        .put("cancelRequested", t.cancelRequested());
    Json.put(node, "createdAt", t.createdAt());
    Json.put(node, "updatedAt", t.updatedAt());
    ArrayNode attempts = node.putArray("attempts");
    for (Attempt a : t.attempts()) {
      attempts.add(attempt(a));
    }
    return node;
  }

  private static ObjectNode attempt(Attempt a) {
    ObjectNode node = Json.nested()
        .put("number", a.number())
        .put("worker", a.worker())
        .put("incarnation", a.incarnation())
        .put("token", a.token());
    Json.put(node, "startedAt", a.startedAt());
    Json.put(node, "endedAt", a.endedAt().orElse(null));
    return node.put("outcome", a.outcome().map(Enum::name).orElse(null))
        .put("errorClass", a.errorClass().orElse(null))
        .put("message", a.message().orElse(null))
        .put("stackTrace", a.stackTrace().orElse(null));
  }

  static TaskView task(JsonNode node) throws BadRecord {
    try {
      TaskSpec spec = new TaskSpec(Json.text(node, "id"), Json.text(node, "payload"),
          duration(node, "attemptTimeout"), duration(node, "progressTimeout"),
          count(node, "maxAttempts"), count(node, "maxLost"), duration(node, "retryDelay"),
          duration(node, "maxRetryDelay"));
      JsonNode list = node.get("attempts");
      if (list == null || !list.isArray() || list.size() > TaskView.MAX_ATTEMPTS_KEPT) {
        throw new BadRecord("field 'attempts' must be an array of at most "
            + TaskView.MAX_ATTEMPTS_KEPT + " attempts");
      }
      List<Attempt> attempts = new ArrayList<>(list.size());
      for (JsonNode a : list) {
        attempts.add(attempt(a));
      }
      return new TaskView(Json.text(node, "queue"), spec,
          TaskState.valueOf(Json.text(node, "state")), Json.integer(node, "token"),
          optional(node, "worker"), Optional.ofNullable(Json.optionalInstant(node,
          "claimExpiresAt")), Json.instant(node, "dueAt"), count(node, "failures"),
          count(node, "lost"), optional(node, "progress"), optional(node, "checkpoint"),
          optional(node, "output"), optional(node, "reason"), bool(node, "cancelRequested"),
          Json.instant(node, "createdAt"), Json.instant(node, "updatedAt"), attempts);
    } catch (IllegalArgumentException e) {
      throw new BadRecord("not a task: " + e.getMessage(), e);
    }
  }

  private static Attempt attempt(JsonNode node) throws BadRecord {
    if (!node.isObject()) {
      throw new BadRecord("an attempt must be an object, got " + node.getNodeType());
    }
    String outcome = Json.optionalText(node, "outcome");
    return new Attempt(count(node, "number"), Json.text(node, "worker"),
        Json.text(node, "incarnation"), Json.integer(node, "token"),
        Json.instant(node, "startedAt"), Optional.ofNullable(Json.optionalInstant(node,
        "endedAt")), Optional.ofNullable(outcome).map(AttemptOutcome::valueOf),
        optional(node, "errorClass"), optional(node, "message"), optional(node, "stackTrace"));
  }

  private static Optional<String> optional(JsonNode node, String field) throws BadRecord {
    return Optional.ofNullable(Json.optionalText(node, field));
  }

  private static int count(JsonNode node, String field) throws BadRecord {
    long value = Json.integer(node, field);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new BadRecord("field '" + field + "' is out of range: " + value);
    }
    return (int) value;
  }

  private static boolean bool(JsonNode node, String field) throws BadRecord {
    JsonNode value = node.get(field);
    if (value == null || !value.isBoolean()) {
      throw new BadRecord("field '" + field + "' must be true or false");
    }
    return value.booleanValue();
  }

  static Duration duration(JsonNode node, String field) throws BadRecord {
    String text = Json.text(node, field);
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new BadRecord("field '" + field + "' is not a duration: '" + text + "'", e);
    }
  }
}
