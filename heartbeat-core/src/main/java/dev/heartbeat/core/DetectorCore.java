package dev.heartbeat.core;

import dev.heartbeat.AgentChange.Evidence;
import dev.heartbeat.AgentChange.Kind;
import dev.heartbeat.AgentChange.Recovery;
import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentState;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.Heartbeat;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The detector's judgement without a store or a thread, so that a simulator can drive it: feed
 * it beats with their arrival times ({@link #observe}), ask it to judge at an instant
 * ({@link #evaluate}), and tell it which time it could not watch ({@link #shift}). All times are
 * nanoseconds of one monotonic clock; the wall clock only stamps the changes.
 *
 * <pre>{@code
 * DetectorCore core = new DetectorCore(DetectorConfig.DEFAULTS, InstantSource.fixed(start));
 * // each simulated beat that reaches the detector:  core.observe(heartbeat, arrivalNanos, null)
 * // each poll interval:                             changes = core.evaluate(nowNanos)
 * }</pre>
 *
 * <p>Per agent: ALIVE or STALLED becomes SUSPECT when phi reaches the threshold or the silence
 * the hard timeout; SUSPECT becomes DEAD once the silence passes the {@link FleetTail} learned
 * from every agent's inter-arrival times (its excess at {@code 10^-(phiThreshold - 1)} per beat
 * over the agent's interval), a poll interval after the suspicion at the soonest and after the
 * suspicion grace at the latest; ALIVE becomes STALLED when a
 * working agent's task and progress stay the same for {@code stallAfter}, counted from when this
 * detector first saw them; a new beat brings SUSPECT or DEAD back (RECOVERED, restarted or false
 * alarm) and STALLED back when it carries progress; a LEFT status is final until a new
 * incarnation beats. Inter-arrival samples are taken only between consecutive beats of one
 * incarnation while not suspected, so that a crash's silence does not teach the detector to wait
 * longer; the fleet's tail takes every silence between two beats of one run, a false alarm's
 * too (a crash's ends in a new run, so it is not taken). The window of a new agent starts around
 * the interval its beat carries (the detector's {@code expectedInterval} when it carries none). Not thread-safe, except {@link #states()}.
 */
final class DetectorCore {
  private final DetectorConfig config;
  private final InstantSource wall;
  private final Map<String, AgentTrack> tracks = new HashMap<>();
  private final FleetTail tail;
  private volatile Map<String, AgentState> published = Map.of();
  /** Copies published so far (for tests); ticker thread. */
  private long publishes;
  private boolean dirty;

  DetectorCore(DetectorConfig config, InstantSource wall) {
    this.config = config;
    this.wall = wall;
    this.tail = new FleetTail(2 * config.pollInterval().toNanos(),
        config.expectedInterval().toNanos());
  }

  /**
   * Takes in a beat read from the store or a feed.
   *
   * @param arrival when it was seen (monotonic nanos)
   * @param storeNow the store's clock at the read, or {@code null} (a feed): for an agent not
   *     seen before, its beat's age and its progress's age by the store's clock count as silence
   *     and as time without progress
   * @return the changes of state it causes; {@link #states()} shows them after the next
   *     {@link #publish()}, so that a read of many beats publishes once
   */
  List<AgentChange> observe(Heartbeat beat, long arrival, Instant storeNow) {
    AgentTrack t = tracks.get(beat.agentId());
    if (t == null) {
      long age = age(storeNow, beat.at());
      long progressAge = beat.progressAt().map(at -> age(storeNow, at)).orElse(age);
      long interval = beat.interval().orElse(config.expectedInterval()).toNanos();
      AgentTrack fresh = new AgentTrack(beat, new PhiAccrual(config.windowSize(), interval),
          arrival - age, arrival - progressAge);
      fresh.intervalNanos = interval;
      tracks.put(beat.agentId(), fresh);
      dirty = true;
      return List.of();
    }
    if (!t.isNew(beat)) {
      return List.of();
    }
    boolean restarted = !beat.incarnation().equals(t.incarnation);
    long silence = arrival - t.lastArrival;
    Evidence evidence = evidence(t, silence);
    AgentState before = t.state;
    if (!restarted && (before == AgentState.ALIVE || before == AgentState.STALLED)) {
      t.window.add(Math.max(0, silence));
    }
    if (!restarted && before != AgentState.LEFT) {
      tail.add(silence - t.intervalNanos); // a false alarm's silence too: the tail it is made of
    }
    t.intervalNanos = beat.interval().orElse(config.expectedInterval()).toNanos();
    boolean progressed = t.arrived(beat, arrival);
    if (beat.status() == AgentStatus.LEFT) {
      return before == AgentState.LEFT ? List.of() : change(t, AgentState.LEFT, Kind.LEFT, null,
          evidence);
    }
    return switch (before) {
      case SUSPECT, DEAD -> change(t, AgentState.ALIVE, Kind.RECOVERED,
          restarted ? Recovery.RESTARTED : Recovery.FALSE_ALARM, evidence);
      case LEFT -> change(t, AgentState.ALIVE, Kind.REJOINED, null, evidence);
      case STALLED -> progressed || beat.status() != AgentStatus.WORKING
          ? change(t, AgentState.ALIVE, Kind.RESUMED, null, evidence) : List.of();
      case ALIVE -> List.of();
    };
  }

  /** Judges every agent at {@code now}; returns the convictions. */
  List<AgentChange> evaluate(long now) {
    List<AgentChange> changes = new ArrayList<>();
    long learned = tail.excessNanos(config.phiThreshold() - 1);
    long grace = config.suspicionGrace().toNanos();
    long poll = config.pollInterval().toNanos();
    for (AgentTrack t : tracks.values()) {
      long silence = now - t.lastArrival;
      switch (t.state) {
        case ALIVE, STALLED -> {
          double phi = phi(t, silence);
          if (phi >= config.phiThreshold() || silence >= config.hardTimeout().toNanos()) {
            t.suspectSince = now;
            changes.addAll(change(t, AgentState.SUSPECT, Kind.SUSPECTED, null,
                evidence(t, silence)));
          } else if (t.state == AgentState.ALIVE && t.status == AgentStatus.WORKING
              && now - t.progressSince >= config.stallAfter().toNanos()) {
            changes.addAll(change(t, AgentState.STALLED, Kind.STALLED, null,
                evidence(t, silence)));
          }
        }
        case SUSPECT -> {
          long suspected = now - t.suspectSince;
          if (suspected >= grace || suspected >= poll && silence >= t.intervalNanos + learned) {
            changes.addAll(change(t, AgentState.DEAD, Kind.DIED, null, evidence(t, silence)));
          }
        }
        case DEAD, LEFT -> { }
      }
    }
    publish();
    return changes;
  }

  /**
   * Does not count {@code nanos} before {@code now} against anyone: every silence and progress
   * clock moves on by that much, but not past {@code now}.
   */
  void shift(long nanos, long now) {
    for (AgentTrack t : tracks.values()) {
      t.shift(nanos, now);
    }
  }

  /** Forgets agents the store no longer has. */
  void retain(Set<String> agentIds) {
    dirty |= tracks.keySet().retainAll(agentIds);
    publish();
  }

  /**
   * At most {@code max} agents, {@code LEFT} or {@code DEAD}, whose last beat arrived at least
   * {@code after} before {@code now} (time the detector could not watch not counted).
   */
  List<String> forgettable(long now, long after, int max) {
    List<String> out = new ArrayList<>();
    for (AgentTrack t : tracks.values()) {
      if (out.size() >= max) {
        break;
      }
      if ((t.state == AgentState.LEFT || t.state == AgentState.DEAD)
          && now - t.lastArrival >= after) {
        out.add(t.agentId);
      }
    }
    return out;
  }

  /** Forgets agents the store was told to forget, and publishes. */
  void forget(Collection<String> agentIds) {
    dirty |= tracks.keySet().removeAll(agentIds);
    publish();
  }

  /** How many times {@link #publish()} copied the states (for tests); ticker thread. */
  long publishes() {
    return publishes;
  }

  /** The state of every agent seen, as of the last {@link #publish()}; any thread. */
  Map<String, AgentState> states() {
    return published;
  }

  /** The phi of {@code agentId} at {@code now}, or 0 when unknown (for tests and simulators). */
  double phi(String agentId, long now) {
    AgentTrack t = tracks.get(agentId);
    return t == null ? 0 : phi(t, now - t.lastArrival);
  }

  private double phi(AgentTrack t, long silence) {
    return t.window.phi(silence, config.minStdDeviation().toNanos(),
        config.acceptablePause().toNanos());
  }

  private Evidence evidence(AgentTrack t, long silence) {
    return new Evidence(Duration.ofNanos(Math.max(0, silence) + t.excluded), phi(t, silence),
        Duration.ofNanos(t.window.meanNanos()), Duration.ofNanos(t.excluded));
  }

  private List<AgentChange> change(AgentTrack t, AgentState to, Kind kind, Recovery recovery,
      Evidence evidence) {
    AgentState from = t.state;
    t.state = to;
    dirty = true;
    return List.of(new AgentChange(t.agentId, t.incarnation, from, to, kind, recovery, evidence,
        wall.instant()));
  }

  /** Makes the changes since the last call visible to {@link #states()}. */
  void publish() {
    if (!dirty) {
      return;
    }
    dirty = false;
    publishes++;
    Map<String, AgentState> states = new HashMap<>(tracks.size() * 2);
    tracks.forEach((id, t) -> states.put(id, t.state));
    published = Map.copyOf(states);
  }

  private static long age(Instant storeNow, Instant at) {
    return storeNow == null ? 0 : Math.max(0, Duration.between(at, storeNow).toNanos());
  }
}
