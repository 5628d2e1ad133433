package dev.heartbeat.monitor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heartbeat.AgentChange;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.Lease;
import dev.heartbeat.LeaseWatch;
import dev.heartbeat.StallDetector;
import dev.heartbeat.TaskCounts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What feeds {@code /events}: the detector's changes ({@code agent}), transitions of the leases
 * named ({@code lease}), and changed counts of the queues named ({@code tasks}, read every
 * {@code poll} on a virtual thread of its own). Every listener only formats and offers to the
 * hub's bounded queues, so no client ever slows the engine.
 */
final class EventSources implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventSources.class);
  private final StallDetector.Subscription detector;
  private final List<LeaseWatch> watches = new ArrayList<>();
  private final Thread poller;

  EventSources(Heartbeats hb, EventHub hub, List<String> leases, List<String> queues,
      Duration poll) {
    detector = hb.detector().onChange(c -> hub.publish("agent", agent(hub.node(), c)));
    try {
      for (String name : leases) {
        watches.add(hb.leases().watch(name, l -> hub.publish("lease", lease(hub.node(), name, l))));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    poller = queues.isEmpty() ? null : Thread.ofVirtual().name("heartbeat-monitor-tasks")
        .start(() -> pollQueues(hb, hub, queues, poll));
  }

  private static ObjectNode agent(ObjectNode o, AgentChange c) {
    o.put("agent", c.agentId()).put("incarnation", c.incarnation())
        .put("from", c.from().name()).put("to", c.to().name()).put("kind", c.kind().name())
        .put("lastBeatAgeMillis", c.evidence().lastBeatAge().toMillis())
        .put("at", c.at().toString());
    return o;
  }

  private static ObjectNode lease(ObjectNode o, String name, Optional<Lease> lease) {
    o.put("lease", name);
    if (lease.isPresent()) {
      Lease l = lease.get();
      o.put("to", "acquired").put("holder", l.holder()).put("token", l.token())
          .put("expiresAt", l.expiresAt().toString());
    } else {
      o.put("to", "free");
    }
    return o;
  }

  private static void pollQueues(Heartbeats hb, EventHub hub, List<String> queues,
      Duration poll) {
    Map<String, TaskCounts> last = new HashMap<>();
    while (!Thread.currentThread().isInterrupted()) {
      for (String q : queues) {
        try {
          TaskCounts now = hb.tasks(q).counts();
          if (!now.equals(last.put(q, now))) {
            ObjectNode o = hub.node().put("queue", q);
            ObjectNode counts = o.putObject("counts");
            now.byState().forEach((s, n) -> counts.put(s.name(), n));
            hub.publish("tasks", o);
          }
        } catch (RuntimeException e) {
          LOG.warn("heartbeat-monitor: cannot read the counts of queue {}: {}", q, e.toString());
        }
      }
      LockSupport.parkNanos(poll.toNanos());
    }
  }

  @Override
  public void close() {
    if (detector != null) {
      detector.close();
    }
    watches.forEach(LeaseWatch::close);
    if (poller != null) {
      poller.interrupt();
    }
  }
}
