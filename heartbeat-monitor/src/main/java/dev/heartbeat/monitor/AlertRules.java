package dev.heartbeat.monitor;

import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentState;
import dev.heartbeat.Attempt;
import dev.heartbeat.CallStats;
import dev.heartbeat.Lease;
import dev.heartbeat.TaskView;
import dev.heartbeat.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Turns what the engine tells into alerts. The detector's changes fire and resolve
 * {@code HeartbeatAgentDead} and {@code HeartbeatAgentStalled} at once; a lease seen free
 * fires {@code HeartbeatNoLeader} only after {@code noLeaderAfter}, beats failing fire
 * {@code HeartbeatStoreDegraded} only after {@code degradedAfter} (both checked by
 * {@link #evaluate}), and a queue's {@code BLOCKED} tasks fire {@code HeartbeatTaskBlocked} each
 * until they leave that state. A resolved alert is kept for {@link #RESOLVED_KEPT} so that it
 * is re-sent; at most {@link #MAX_ALERTS} alerts are held, the oldest resolved dropped first,
 * then the oldest firing, with a count. Every method takes one lock for a moment and never
 * blocks, so a listener calling it is never held up.
 */
final class AlertRules {
  static final Duration RESOLVED_KEPT = Duration.ofMinutes(15);
  static final int MAX_ALERTS = 10_000;
  static final String DEAD = "HeartbeatAgentDead";
  static final String STALLED = "HeartbeatAgentStalled";
  static final String NO_LEADER = "HeartbeatNoLeader";
  static final String DEGRADED = "HeartbeatStoreDegraded";
  static final String BLOCKED = "HeartbeatTaskBlocked";

  private final TimeSource time;
  private final SortedMap<String, String> userLabels;
  private final Optional<String> generatorUrl;
  private final Duration noLeaderAfter;
  private final Duration degradedAfter;
  private final ReentrantLock lock = new ReentrantLock();
  /** By labels, in order of last change (oldest first). */
  private final LinkedHashMap<SortedMap<String, String>, Alert> alerts = new LinkedHashMap<>();
  private final Map<String, Long> leaseFreeSince = new HashMap<>();
  private final Map<String, Long> failingSince = new HashMap<>();
  private final Map<String, CallStats> failingStats = new HashMap<>();
  private long dropped;

  AlertRules(TimeSource time, Map<String, String> userLabels, Optional<String> generatorUrl,
      Duration noLeaderAfter, Duration degradedAfter) {
    this.time = time;
    this.userLabels = Alert.checkLabels("labels", userLabels);
    this.generatorUrl = generatorUrl;
    this.noLeaderAfter = noLeaderAfter;
    this.degradedAfter = degradedAfter;
  }

  void agentChanged(AgentChange c) {
    Map<String, String> ev = new LinkedHashMap<>();
    ev.put("incarnation", c.incarnation() == null ? "" : c.incarnation());
    ev.put("transition", c.from() + " -> " + c.to() + " (" + c.kind() + ")");
    ev.put("beat_age", c.evidence().lastBeatAge().toString());
    ev.put("phi", Double.toString(c.evidence().phi()));
    ev.put("expected_interval", c.evidence().expectedInterval().toString());
    lock.lock();
    try {
      if (c.to() == AgentState.DEAD) {
        ev.put("summary", "agent " + c.agentId() + " is dead: no beat for "
            + c.evidence().lastBeatAge());
        fire(labels(DEAD, "critical", "agent", c.agentId()), ev);
        resolve(labels(STALLED, "warning", "agent", c.agentId()));
      } else if (c.to() == AgentState.STALLED) {
        ev.put("summary", "agent " + c.agentId() + " beats but makes no progress");
        fire(labels(STALLED, "warning", "agent", c.agentId()), ev);
      } else if (c.to() == AgentState.ALIVE || c.to() == AgentState.LEFT) {
        resolve(labels(DEAD, "critical", "agent", c.agentId()));
        resolve(labels(STALLED, "warning", "agent", c.agentId()));
      }
    } finally {
      lock.unlock();
    }
  }

  void leaseSeen(String name, Optional<Lease> lease) {
    lock.lock();
    try {
      if (lease.isPresent()) {
        leaseFreeSince.remove(name);
        resolve(labels(NO_LEADER, "critical", "lease", name));
      } else {
        leaseFreeSince.putIfAbsent(name, time.nanoTime());
      }
    } finally {
      lock.unlock();
    }
  }

  void beatsSeen(String agent, CallStats beats) {
    lock.lock();
    try {
      if (beats.failing()) {
        failingSince.putIfAbsent(agent, time.nanoTime());
        failingStats.put(agent, beats);
      } else {
        failingSince.remove(agent);
        failingStats.remove(agent);
        resolve(labels(DEGRADED, "critical", "agent", agent));
      }
    } finally {
      lock.unlock();
    }
  }

  void blockedSeen(String queue, List<TaskView> blocked) {
    lock.lock();
    try {
      Set<String> now = new HashSet<>();
      for (TaskView t : blocked) {
        now.add(t.id());
        Map<String, String> ev = new LinkedHashMap<>();
        ev.put("summary", "task " + t.id() + " of queue " + queue + " is blocked: "
            + t.reason().orElse("no reason given"));
        ev.put("reason", t.reason().orElse(""));
        ev.put("attempts", attempts(t));
        fire(labels(BLOCKED, "warning", "queue", queue, "task", t.id()), ev);
      }
      for (Alert a : List.copyOf(alerts.values())) {
        if (BLOCKED.equals(a.name()) && queue.equals(a.labels().get("queue"))
            && !now.contains(a.labels().get("task"))) {
          resolve(a.labels());
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Fires what has lasted past its bound and forgets resolved alerts older than kept. */
  void evaluate() {
    long nanos = time.nanoTime();
    lock.lock();
    try {
      leaseFreeSince.forEach((name, since) -> {
        Duration free = Duration.ofNanos(nanos - since);
        if (free.compareTo(noLeaderAfter) >= 0) {
          fire(labels(NO_LEADER, "critical", "lease", name), Map.of("summary",
              "lease " + name + " has had no holder for " + free, "free_for", free.toString()));
        }
      });
      failingSince.forEach((agent, since) -> {
        Duration failing = Duration.ofNanos(nanos - since);
        if (failing.compareTo(degradedAfter) >= 0) {
          CallStats s = failingStats.get(agent);
          fire(labels(DEGRADED, "critical", "agent", agent), Map.of("summary",
              "beats of " + agent + " have failed against the store for " + failing,
              "last_error", String.valueOf(s.lastError()),
              "consecutive_failures", Long.toString(s.consecutiveFailures())));
        }
      });
      Instant forget = time.instant().minus(RESOLVED_KEPT);
      alerts.values().removeIf(a -> a.resolvedAt().filter(r -> r.isBefore(forget)).isPresent());
    } finally {
      lock.unlock();
    }
  }

  /** What is to be sent: every firing alert and every resolved one still kept. */
  List<Alert> alerts() {
    lock.lock();
    try {
      return List.copyOf(alerts.values());
    } finally {
      lock.unlock();
    }
  }

  List<Alert> firing() {
    return alerts().stream().filter(Alert::firing).toList();
  }

  long dropped() {
    lock.lock();
    try {
      return dropped;
    } finally {
      lock.unlock();
    }
  }

  private SortedMap<String, String> labels(String alertname, String severity, String... kv) {
    SortedMap<String, String> l = new TreeMap<>(userLabels);
    l.put("alertname", alertname);
    l.put("severity", severity);
    for (int i = 0; i < kv.length; i += 2) {
      l.put(kv[i], kv[i + 1]);
    }
    return l;
  }

  private void fire(SortedMap<String, String> labels, Map<String, String> evidence) {
    Alert old = alerts.get(labels);
    Instant startsAt = old != null && old.firing() ? old.startsAt() : time.instant();
    alerts.remove(labels);
    alerts.put(labels, new Alert(labels, evidence, startsAt, Optional.empty(), generatorUrl));
    bound();
  }

  private void resolve(SortedMap<String, String> labels) {
    Alert old = alerts.get(labels);
    if (old != null && old.firing()) {
      alerts.remove(labels);
      alerts.put(labels, old.resolve(time.instant()));
    }
  }

  private void bound() {
    while (alerts.size() > MAX_ALERTS) {
      SortedMap<String, String> victim = alerts.values().stream().filter(a -> !a.firing())
          .findFirst().or(() -> alerts.values().stream().findFirst()).orElseThrow().labels();
      alerts.remove(victim);
      dropped++;
    }
  }

  static String attempts(TaskView t) {
    List<String> parts = new ArrayList<>();
    List<Attempt> all = t.attempts();
    for (Attempt a : all.subList(Math.max(0, all.size() - 3), all.size())) {
      parts.add("#" + a.number() + " " + a.worker() + " " + a.outcome().map(Enum::name)
          .orElse("running") + a.message().map(m -> ": " + m).orElse(""));
    }
    return all.size() + " attempt(s)" + (parts.isEmpty() ? "" : "; last: "
        + String.join("; ", parts));
  }
}
