package dev.heartbeat.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heartbeat.Attempt;
import dev.heartbeat.TaskCounts;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The JSON documents of {@code heartbeat tasks ... --json}. Fields are only ever added within one
 * format version. Instants are ISO-8601 UTC strings on the store's clock; durations are whole
 * milliseconds; absent values are null.
 *
 * <pre>
 * list: format "heartbeat-tasks/1", store, queue, counts {INBOX, IN_PROGRESS, DONE, BLOCKED,
 *       CANCELLED}, tasks[] (each as below, without attempts' stack traces)
 * show, submit, retry, cancel: format "heartbeat-task/1", store, queue, task:
 *   id, state, token, worker, claimExpiresAt, dueAt, failures, lost, progress, checkpoint,
 *   output, reason, cancelRequested, createdAt, updatedAt, payload,
 *   spec {attemptTimeoutMillis, progressTimeoutMillis, maxAttempts, maxLost, retryDelayMillis,
 *         maxRetryDelayMillis},
 *   attempts[] {number, worker, incarnation, token, startedAt, endedAt, outcome, errorClass,
 *               message, stackTrace}
 * </pre>
 */
final class TaskJson {
  static final String LIST_FORMAT = "heartbeat-tasks/1";
  static final String TASK_FORMAT = "heartbeat-task/1";
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private TaskJson() {}

  static String list(String store, String queue, TaskCounts counts, List<TaskView> tasks) {
    ObjectNode root = header(LIST_FORMAT, store, queue);
    ObjectNode byState = root.putObject("counts");
    for (TaskState s : TaskState.values()) {
      byState.put(s.name(), counts.of(s));
    }
    ArrayNode array = root.putArray("tasks");
    for (TaskView t : tasks) {
      task(array.addObject(), t, false);
    }
    return write(root);
  }

  static String task(String store, String queue, TaskView task) {
    ObjectNode root = header(TASK_FORMAT, store, queue);
    task(root.putObject("task"), task, true);
    return write(root);
  }

  private static ObjectNode header(String format, String store, String queue) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", format);
    root.put("store", store);
    root.put("queue", queue);
    return root;
  }

  private static void task(ObjectNode o, TaskView t, boolean stacks) {
    TaskSpec spec = t.spec();
    o.put("id", spec.id());
    o.put("state", t.state().name());
    o.put("token", t.token());
    o.put("worker", t.worker().orElse(null));
    o.put("claimExpiresAt", instant(t.claimExpiresAt()));
    o.put("dueAt", t.dueAt().toString());
    o.put("failures", t.failures());
    o.put("lost", t.lost());
    o.put("progress", t.progress().orElse(null));
    o.put("checkpoint", t.checkpoint().orElse(null));
    o.put("output", t.output().orElse(null));
    o.put("reason", t.reason().orElse(null));
    o.put("cancelRequested", t.cancelRequested());
    o.put("createdAt", t.createdAt().toString());
    o.put("updatedAt", t.updatedAt().toString());
    o.put("payload", spec.payload());
    ObjectNode policy = o.putObject("spec");
    policy.put("attemptTimeoutMillis", spec.attemptTimeout().toMillis());
    policy.put("progressTimeoutMillis", spec.progressTimeout().toMillis());
    policy.put("maxAttempts", spec.maxAttempts());
    policy.put("maxLost", spec.maxLost());
    policy.put("retryDelayMillis", spec.retryDelay().toMillis());
    policy.put("maxRetryDelayMillis", spec.maxRetryDelay().toMillis());
    ArrayNode attempts = o.putArray("attempts");
    for (Attempt a : t.attempts()) {
      ObjectNode j = attempts.addObject();
      j.put("number", a.number());
      j.put("worker", a.worker());
      j.put("incarnation", a.incarnation());
      j.put("token", a.token());
      j.put("startedAt", a.startedAt().toString());
      j.put("endedAt", instant(a.endedAt()));
      j.put("outcome", a.outcome().map(Enum::name).orElse(null));
      j.put("errorClass", a.errorClass().orElse(null));
      j.put("message", a.message().orElse(null));
      j.put("stackTrace", stacks ? a.stackTrace().orElse(null) : null);
    }
  }

  private static String instant(Optional<Instant> at) {
    return at.map(Instant::toString).orElse(null);
  }

  private static String write(ObjectNode root) {
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a task document could not be written", e);
    }
  }
}
