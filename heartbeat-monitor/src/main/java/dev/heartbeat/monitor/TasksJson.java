package dev.heartbeat.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heartbeat.Attempt;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.TaskCounts;
import dev.heartbeat.TaskQueue;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import java.util.List;

/**
 * The monitor's {@code GET /tasks} document: for each queue named, its counts per state and up
 * to {@value #MAX_BLOCKED} blocked tasks with their last error.
 */
final class TasksJson {
  static final int MAX_BLOCKED = 50;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TasksJson() {}

  static String of(Heartbeats hb, List<String> queues) {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode out = root.putArray("queues");
    for (String name : queues) {
      TaskQueue q = hb.tasks(name);
      ObjectNode o = out.addObject().put("name", name);
      ObjectNode counts = o.putObject("counts");
      TaskCounts c = q.counts();
      for (TaskState s : TaskState.values()) {
        counts.put(s.name(), c.of(s));
      }
      ArrayNode blocked = o.putArray("blocked");
      for (TaskView t : q.tasks(TaskState.BLOCKED, MAX_BLOCKED)) {
        blocked.addObject().put("id", t.spec().id()).put("failures", t.failures())
            .put("error", lastError(t)).put("updatedAt", t.updatedAt().toString());
      }
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the tasks document", e);
    }
  }

  private static String lastError(TaskView t) {
    List<Attempt> attempts = t.attempts();
    for (int i = attempts.size() - 1; i >= 0; i--) {
      if (attempts.get(i).message().isPresent()) {
        return attempts.get(i).message().get();
      }
    }
    return t.reason().orElse(null);
  }
}
