package dev.heartbeat;

import dev.heartbeat.spi.Checks;
import java.time.Duration;
import java.time.Instant;

/**
 * A change of an agent's {@link AgentState}, as told to {@link StallDetector} listeners.
 *
 * @param agentId the agent
 * @param incarnation the incarnation the detector knows now (the new one after a restart)
 * @param from the state before
 * @param to the state after
 * @param kind what happened
 * @param recovery for {@link Kind#RECOVERED}: whether the agent restarted or the suspicion was a
 *     false alarm; {@code null} for every other kind
 * @param evidence what the decision was based on
 * @param at when the detector decided (local wall clock)
 */
public record AgentChange(String agentId, String incarnation, AgentState from, AgentState to,
    Kind kind, Recovery recovery, Evidence evidence, Instant at) {
  /** Checks the components; see the class comment for what each must be. */
  public AgentChange {
    Checks.id("agentId", agentId);
    Checks.notNull("from", from);
    Checks.notNull("to", to);
    Checks.notNull("kind", kind);
    if ((kind == Kind.RECOVERED) != (recovery != null)) {
      throw new IllegalArgumentException("recovery must be given exactly for kind RECOVERED, got "
          + recovery + " for " + kind);
    }
    Checks.notNull("evidence", evidence);
    Checks.notNull("at", at);
  }

  /** What happened. */
  public enum Kind {
    /** Beats are overdue: {@code ALIVE} or {@code STALLED} to {@code SUSPECT}. */
    SUSPECTED,
    /** No beat for the suspicion grace after being suspected: {@code SUSPECT} to {@code DEAD}. */
    DIED,
    /** Beats but no progress for {@code stallAfter} while working: to {@code STALLED}. */
    STALLED,
    /** A stalled agent made progress (or stopped working): {@code STALLED} to {@code ALIVE}. */
    RESUMED,
    /** A suspect or dead agent beat again: to {@code ALIVE}; see {@link Recovery}. */
    RECOVERED,
    /** The agent recorded a graceful leave. */
    LEFT,
    /** An agent that had left beats again, with a new incarnation. */
    REJOINED
  }

  /** How a suspect or dead agent came back; both are reported. */
  public enum Recovery {
    /** A new incarnation beat: the agent restarted, the old run's work is lost. */
    RESTARTED,
    /** The same incarnation beat again: it was slow, not dead; the suspicion was wrong. */
    FALSE_ALARM
  }

  /**
   * What the detector saw when it decided.
   *
   * @param lastBeatAge how long since the detector saw the agent's last beat arrive (local
   *     monotonic clock), including any local pause
   * @param phi the phi accrual suspicion level at that moment (may be infinite)
   * @param expectedInterval the mean time between beats the detector has learned for the agent
   * @param localPause how much of {@code lastBeatAge} the detector itself could not watch (its
   *     own late ticks, or a store it could not read) and did not hold against the agent
   */
  public record Evidence(Duration lastBeatAge, double phi, Duration expectedInterval,
      Duration localPause) {
    /** Checks the components; see the class comment for what each must be. */
    public Evidence {
      Checks.notNull("lastBeatAge", lastBeatAge);
      Checks.notNull("expectedInterval", expectedInterval);
      Checks.notNull("localPause", localPause);
    }
  }
}
