package dev.heartbeat.monitor;

import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.LeaseWatch;
import dev.heartbeat.StallDetector;
import dev.heartbeat.TaskState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds {@link AlertRules} from the engine: the detector's listener, a watch per lease named,
 * and a virtual thread that every {@code poll} reads each queue's {@code BLOCKED} tasks (at most
 * {@link #BLOCKED_READ} per queue), the beat statistics of the agents named, and evaluates the
 * rules' bounds. Listeners only hand over to the rules, which never block.
 */
final class AlertFeed implements AutoCloseable {
  static final int BLOCKED_READ = 1000;
  private static final Logger LOG = LoggerFactory.getLogger(AlertFeed.class);
  private final StallDetector.Subscription detector;
  private final List<LeaseWatch> watches = new ArrayList<>();
  private final Thread poller;

  AlertFeed(Heartbeats hb, AlertRules rules, List<String> leases, List<String> queues,
      List<HeartbeatAgent> agents, Duration poll) {
    detector = hb.detector().onChange(rules::agentChanged);
    try {
      for (String name : leases) {
        watches.add(hb.leases().watch(name, l -> rules.leaseSeen(name, l)));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    poller = Thread.ofVirtual().name("heartbeat-alert-feed")
        .start(() -> poll(hb, rules, queues, agents, poll));
  }

  private static void poll(Heartbeats hb, AlertRules rules, List<String> queues,
      List<HeartbeatAgent> agents, Duration poll) {
    while (!Thread.currentThread().isInterrupted()) {
      for (String q : queues) {
        try {
          rules.blockedSeen(q, hb.tasks(q).tasks(TaskState.BLOCKED, BLOCKED_READ));
        } catch (RuntimeException e) {
          LOG.debug("heartbeat-monitor: cannot read the blocked tasks of queue {}: {}", q,
              e.toString());
        }
      }
      for (HeartbeatAgent a : agents) {
        rules.beatsSeen(a.id(), a.diagnostics().beats());
      }
      rules.evaluate();
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
