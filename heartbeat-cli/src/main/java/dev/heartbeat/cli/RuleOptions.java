package dev.heartbeat.cli;

import dev.heartbeat.DetectorConfig;
import dev.heartbeat.monitor.Thresholds;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The thresholds of agent states, shared by {@code status} and {@code watch}. */
final class RuleOptions {
  @Option(names = "--suspect-after", paramLabel = "DURATION", converter = Durations.class,
      description = "SUSPECT when the last beat is older (500ms, 3s, 2m...). Default: the "
          + "detector's hard timeout, 3 beat intervals.")
  Duration suspectAfter;

  @Option(names = "--dead-after", paramLabel = "DURATION", converter = Durations.class,
      description = "DEAD when the last beat is older. Default: the hard timeout plus the "
          + "detector's suspicion grace, 5.4 beat intervals.")
  Duration deadAfter;

  @Option(names = "--stall-after", paramLabel = "DURATION", converter = Durations.class,
      description = "STALLED when a working agent made no progress for this long. Default: 2m.")
  Duration stallAfter;

  Thresholds thresholds() {
    try {
      return new Thresholds(suspectAfter, deadAfter, stallAfter);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.USAGE, e.getMessage());
    }
  }

  /** The detector's configuration for {@code interval}, a misfit threshold being a usage error. */
  static DetectorConfig detector(Thresholds thresholds, Duration interval) {
    try {
      return thresholds.detector(interval);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.USAGE, e.getMessage());
    }
  }
}
