package dev.heartbeat.cli;

import dev.heartbeat.AgentState;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.StallDetector;
import dev.heartbeat.monitor.LivenessRule;
import java.time.Duration;
import java.time.Instant;

/**
 * States from the library's running {@link StallDetector} (phi accrual, suspicion grace, stall
 * by progress), for the commands that watch over time ({@code watch}, {@code demo}). An agent the
 * detector has not judged yet is judged by {@code fallback}.
 */
record DetectorRule(StallDetector detector, LivenessRule fallback) implements LivenessRule {

  @Override
  public String name() {
    DetectorConfig c = detector.config();
    return String.format(java.util.Locale.ROOT, "the stall detector: SUSPECT at phi %.0f or %s "
        + "of silence, DEAD at most %s more, STALLED after %s without progress",
        c.phiThreshold(), Durations.format(c.hardTimeout()), Durations.format(c.suspicionGrace()),
        Durations.format(c.stallAfter()));
  }

  @Override
  public AgentState classify(Heartbeat latest, Duration interval, Instant storeNow) {
    return detector.state(latest.agentId())
        .orElseGet(() -> fallback.classify(latest, interval, storeNow));
  }
}
