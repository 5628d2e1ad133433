package dev.heartbeat.micrometer;

import dev.heartbeat.AgentView;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opt-in per-agent series, {@code heartbeat.agent.beat.age{agent}}, for at most {@code cap}
 * agents: past the cap one warning, and no series for the others until some leave the registry.
 * Only the binder's refresh calls it, under the binder's lock.
 */
final class AgentSeries {
  private static final Logger LOG = LoggerFactory.getLogger(AgentSeries.class);

  private final Meters meters;
  private final int cap;
  private final Map<String, Series> series = new HashMap<>();
  private boolean warned;

  /** One agent's gauge and the value it shows. */
  private static final class Series {
    volatile double age;
    Meter meter;
  }

  AgentSeries(Meters meters, int cap) {
    this.meters = meters;
    this.cap = cap;
  }

  void update(List<AgentView> views) {
    Set<String> seen = new HashSet<>();
    views.forEach(v -> seen.add(v.agentId()));
    // the agents gone first, so that their places are free for new ones
    series.entrySet().removeIf(e -> {
      if (seen.contains(e.getKey())) {
        return false;
      }
      meters.remove(e.getValue().meter);
      return true;
    });
    for (AgentView view : views) {
      Series s = series.get(view.agentId());
      if (s == null) {
        if (series.size() >= cap) {
          if (!warned) {
            warned = true;
            LOG.warn("per-agent meters are capped at {} agents: agent {} and any further ones "
                + "get none (raise the cap with perAgent(max))", cap, view.agentId());
          }
          continue;
        }
        s = new Series();
        s.meter = meters.gauge("heartbeat.agent.beat.age",
            "time since the agent's last stored beat, as of the last refresh", Meters.SECONDS,
            Tags.of("agent", view.agentId()), s, x -> x.age);
        series.put(view.agentId(), s);
      }
      s.age = Meters.seconds(view.lastBeatAge());
    }
  }

  int size() {
    return series.size();
  }
}
