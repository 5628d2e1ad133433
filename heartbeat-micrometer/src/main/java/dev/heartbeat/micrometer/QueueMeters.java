package dev.heartbeat.micrometer;

import dev.heartbeat.TaskCounts;
import dev.heartbeat.TaskQueue;
import dev.heartbeat.TaskState;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code heartbeat.tasks{queue, state}} of one queue. Counting is a store read, so the gauges
 * show the counts of the last refresh, never a read made during a scrape.
 */
final class QueueMeters {
  private static final Logger LOG = LoggerFactory.getLogger(QueueMeters.class);

  private final TaskQueue queue;
  private volatile TaskCounts counts = new TaskCounts(Map.of());
  private boolean failing; // guarded by the binder's refresh lock

  QueueMeters(TaskQueue queue) {
    this.queue = queue;
  }

  String name() {
    return queue.name();
  }

  void bind(Meters m) {
    for (TaskState state : TaskState.values()) {
      m.gauge("heartbeat.tasks", "tasks of the queue in this state (as of the last refresh)",
          null, Tags.of("queue", queue.name(), "state", state.name().toLowerCase(Locale.ROOT)),
          this, q -> q.counts.of(state));
    }
  }

  /** Reads the counts; a failed read keeps the last ones and is logged once per failing run. */
  void refresh() {
    try {
      counts = queue.counts();
      if (failing) {
        LOG.info("task counts of queue {} read again", queue.name());
      }
      failing = false;
    } catch (RuntimeException e) {
      if (!failing) {
        LOG.warn("task counts of queue {} could not be read, the gauges keep the last ones: {}",
            queue.name(), e.toString());
      }
      failing = true;
    }
  }
}
