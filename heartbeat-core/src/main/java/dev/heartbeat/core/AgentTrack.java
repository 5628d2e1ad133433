package dev.heartbeat.core;

import dev.heartbeat.AgentState;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import java.util.Arrays;

/**
 * What the detector knows about one agent: its latest beat, when that beat arrived (local
 * monotonic nanos), its inter-arrival window, and the clocks of its suspicion and its progress.
 * Mutable and confined to the detector's thread.
 */
final class AgentTrack {
  final String agentId;
  final PhiAccrual window;
  String incarnation;
  String previousIncarnation;
  long sequence;
  AgentStatus status;
  AgentState state;
  long lastArrival;
  /** The beat interval the agent's latest beat carries (or the detector's expected one). */
  long intervalNanos;
  long suspectSince;
  long progressSince;
  /** Time since the last arrival that the detector could not watch and did not count. */
  long excluded;
  private Object progressKey;

  AgentTrack(Heartbeat first, PhiAccrual window, long arrival, long progressSince) {
    this.agentId = first.agentId();
    this.window = window;
    this.incarnation = first.incarnation();
    this.sequence = first.sequence();
    this.status = first.status();
    this.state = first.status() == AgentStatus.LEFT ? AgentState.LEFT : AgentState.ALIVE;
    this.lastArrival = arrival;
    this.progressSince = progressSince;
    this.progressKey = progressKey(first);
  }

  /** Whether {@code beat} is news: a new incarnation, or a later beat of this one. */
  boolean isNew(Heartbeat beat) {
    if (beat.incarnation().equals(previousIncarnation)) {
      return false; // a stale read of the run before a restart
    }
    return !beat.incarnation().equals(incarnation) || beat.sequence() > sequence;
  }

  /**
   * Takes in a new beat that arrived at {@code arrival}.
   *
   * @return whether its task or progress differ from the previous beat's
   */
  boolean arrived(Heartbeat beat, long arrival) {
    if (!beat.incarnation().equals(incarnation)) {
      previousIncarnation = incarnation;
      incarnation = beat.incarnation();
    }
    sequence = beat.sequence();
    status = beat.status();
    lastArrival = arrival;
    excluded = 0;
    Object key = progressKey(beat);
    boolean progressed = !key.equals(progressKey);
    if (progressed) {
      progressKey = key;
      progressSince = arrival;
    }
    return progressed;
  }

  /**
   * Moves every clock forward by {@code nanos} the detector could not watch, but none past
   * {@code now} (a beat seen just now needs no excuse).
   */
  void shift(long nanos, long now) {
    long moved = Math.max(0, Math.min(nanos, now - lastArrival));
    lastArrival += moved;
    excluded += moved;
    suspectSince = Math.min(suspectSince + nanos, now);
    progressSince = Math.min(progressSince + nanos, now);
  }

  private static Object progressKey(Heartbeat beat) {
    return Arrays.asList(beat.incarnation(), beat.taskId(), beat.progress(), beat.progressAt());
  }

  @Override
  public String toString() {
    return agentId + " (" + incarnation + ", " + state + ")";
  }
}
