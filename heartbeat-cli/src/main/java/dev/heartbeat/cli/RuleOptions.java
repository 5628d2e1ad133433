package dev.heartbeat.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The thresholds of the liveness rule, shared by {@code status} and {@code watch}. */
final class RuleOptions {
  @Option(names = "--suspect-after", paramLabel = "DURATION", converter = Durations.class,
      description = "An agent is SUSPECT when its last beat is older (500ms, 3s, 2m...). "
          + "Default: " + LastBeatAgeRule.SUSPECT_INTERVALS + " of its observed intervals.")
  Duration suspectAfter;

  @Option(names = "--dead-after", paramLabel = "DURATION", converter = Durations.class,
      description = "An agent is DEAD when its last beat is older. Default: "
          + LastBeatAgeRule.DEAD_INTERVALS + " of its observed intervals.")
  Duration deadAfter;

  @Option(names = "--stall-after", paramLabel = "DURATION", converter = Durations.class,
      description = "A working agent is STALLED when its progress is older. Default: "
          + LastBeatAgeRule.STALL_INTERVALS + " of its observed intervals.")
  Duration stallAfter;

  LivenessRule rule() {
    return new LastBeatAgeRule(suspectAfter, deadAfter, stallAfter,
        LastBeatAgeRule.DEFAULT_INTERVAL);
  }
}
