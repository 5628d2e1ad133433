package dev.heartbeat.benchmarks.detection;

/**
 * The baseline for the {@link DetectionSimulator}: an agent is suspect after a fixed silence and
 * dead after a longer one, whatever its history; any beat makes it alive again. Silence is
 * counted from when a beat arrived, on the same rounds as the phi accrual detector.
 */
final class FixedTimeoutDetector {
  private static final byte ALIVE = 1;
  private static final byte SUSPECT = 2;
  private static final byte DEAD = 3;

  /** Told each conviction. */
  interface Verdicts {
    void suspected(int agent, long now);

    void died(int agent, long now);
  }

  private final long suspectAfter;
  private final long deadAfter;
  private final long[] lastArrival;
  private final byte[] state;

  FixedTimeoutDetector(int agents, long suspectAfterNanos, long deadAfterNanos) {
    this.suspectAfter = suspectAfterNanos;
    this.deadAfter = deadAfterNanos;
    this.lastArrival = new long[agents];
    this.state = new byte[agents];
  }

  void observe(int agent, long arrival) {
    lastArrival[agent] = arrival;
    state[agent] = ALIVE;
  }

  void evaluate(long now, Verdicts verdicts) {
    for (int i = 0; i < state.length; i++) {
      long silence = now - lastArrival[i];
      if (state[i] == ALIVE && silence >= suspectAfter) {
        state[i] = SUSPECT;
        verdicts.suspected(i, now);
      }
      if (state[i] == SUSPECT && silence >= deadAfter) {
        state[i] = DEAD;
        verdicts.died(i, now);
      }
    }
  }
}
