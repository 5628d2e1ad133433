package dev.heartbeat.benchmarks.detection;

import java.util.Locale;

/**
 * The report of one {@link DetectionSimulator} run: phi accrual against a sweep of fixed
 * timeouts, DEAD after a crash and false verdicts per 10,000 agent-hours, the silences live agents
 * produced (the physical bound of any detector that judges by silence), and the scenario's goals
 * (issue 21): in (a) DEAD within 20 s at p99 with under 0.1 false DEAD per 10,000 agent-hours,
 * elsewhere within 35 s with under 1; and phi not beaten by any fixed timeout on both axes.
 */
final class SimulationReport {
  private static final long S = 1_000_000_000L;

  private final DetectionSimulator sim;
  private final String scenario;
  private final double agentHours;
  private final double per;

  SimulationReport(DetectionSimulator sim, String scenario) {
    this.sim = sim;
    this.scenario = scenario;
    this.agentHours = sim.agentHours();
    this.per = 10_000 / agentHours;
  }

  String render(double seconds) {
    StringBuilder out = new StringBuilder();
    out.append("## Scenario ").append(scenario == null ? "(custom)" : "(" + scenario + ")")
        .append("\n\n").append(sim.p.describe()).append('\n');
    out.append("phi accrual: ").append(sim.config).append(" (worst case ")
        .append(DetectionSimulator.seconds(sim.config.worstCaseDetection())).append(")\n");
    out.append(String.format(Locale.ROOT, "%d attempts, %d failed (%.2f %%), %d held back by a "
        + "pause; %d detector pauses; %d crashes; %.0f agent-hours alive; simulated in %.0f s%n%n",
        sim.beats, sim.lost, 100.0 * sim.lost / Math.max(1, sim.beats), sim.delayedByPause,
        sim.detectorPauses, sim.crashes, agentHours, seconds));

    FixedTimeoutSweep f = sim.fixed;
    out.append("| detector | DEAD after crash p50 | p99 | false SUSPECT per 10k agent-h | "
        + "false DEAD per 10k agent-h (count) | crashes missed |\n"
        + "|---|---:|---:|---:|---:|---:|\n");
    long phiP99 = sim.phiTally.deadAfterCrash(99);
    double phiFalse = sim.phiTally.falseDeaths * per;
    out.append(String.format(Locale.ROOT, "| phi accrual (defaults) | %s | %s | %.1f | %.2f (%d) "
        + "| %d |%n", s(sim.phiTally.deadAfterCrash(50)), s(phiP99),
        sim.phiTally.falseSuspects * per, phiFalse, sim.phiTally.falseDeaths,
        sim.phiTally.missed));
    double goalFalse = "a".equals(scenario) ? 0.1 : 1.0;
    long goalP99 = ("a".equals(scenario) ? 20 : 35) * S;
    int best = -1; // the shortest fixed timeout that meets the false-DEAD goal
    int asFast = -1; // the longest fixed timeout that detects no later than phi
    int asFew = -1; // the shortest fixed timeout with no more false DEADs than phi
    for (int k = 0; k < f.thresholds.length; k++) {
      long d = f.thresholds[k];
      double falseDead = f.falseDead(d) * per;
      long p99 = f.deadAfterCrash(k, 99);
      out.append(String.format(Locale.ROOT, "| fixed %d s | %s | %s | | %.2f (%d) | %d |%n",
          d / S, s(f.deadAfterCrash(k, 50)), s(p99), falseDead, f.falseDead(d), f.missed(k)));
      if (best < 0 && falseDead < goalFalse) {
        best = k;
      }
      if (p99 <= phiP99) {
        asFast = k;
      }
      if (asFew < 0 && f.falseDead(d) <= sim.phiTally.falseDeaths) {
        asFew = k;
      }
    }
    out.append('\n').append(bound());
    out.append('\n');
    if (best >= 0) {
      out.append(String.format(Locale.ROOT, "Best fixed timeout for the goal (the shortest with "
          + "under %.1f false DEAD per 10k agent-h): %d s, DEAD p99 %s, %.2f false DEAD%n",
          goalFalse, f.thresholds[best] / S, s(f.deadAfterCrash(best, 99)),
          f.falseDead(f.thresholds[best]) * per));
    }
    boolean beaten = false;
    if (asFast >= 0) {
      long d = f.thresholds[asFast];
      beaten |= f.falseDead(d) < sim.phiTally.falseDeaths;
      out.append(String.format(Locale.ROOT, "Fixed timeout as fast as phi (p99 <= %s): %d s, "
          + "%.2f false DEAD per 10k agent-h (phi %.2f)%n", s(phiP99), d / S,
          f.falseDead(d) * per, phiFalse));
    }
    if (asFew >= 0) {
      long p99 = f.deadAfterCrash(asFew, 99);
      beaten |= p99 < phiP99;
      out.append(String.format(Locale.ROOT, "Fixed timeout with no more false DEADs than phi: "
          + "%d s, DEAD p99 %s (phi %s)%n", f.thresholds[asFew] / S, s(p99), s(phiP99)));
    }
    out.append(String.format(Locale.ROOT, "Goals for phi: DEAD p99 within %d s: %s (%s); under "
        + "%.1f false DEAD per 10k agent-h: %s (%.2f); no fixed timeout better on both axes: %s%n",
        goalP99 / S, phiP99 >= 0 && phiP99 <= goalP99 ? "met" : "NOT met", s(phiP99), goalFalse,
        phiFalse < goalFalse ? "met" : "NOT met", phiFalse, beaten ? "NOT met" : "met"));
    return out.toString();
  }

  /** The silences live agents produced: what no silence detector can convict below. */
  private String bound() {
    FixedTimeoutSweep f = sim.fixed;
    StringBuilder out = new StringBuilder("Physical bound, silences of live agents between "
        + "stored beats: exceeded by at most");
    for (double rate : new double[] {10, 1, 0.1}) {
      long count = (long) Math.floor(rate * agentHours / 10_000);
      out.append(String.format(Locale.ROOT, " %s per 10k agent-h: %s;", fmt(rate),
          s(f.rawExceededAtMost(count))));
    }
    out.append(String.format(Locale.ROOT, " longest: %s%n", s(f.rawExceededAtMost(0))));
    return out.toString();
  }

  private static String fmt(double rate) {
    return rate < 1 ? String.valueOf(rate) : String.valueOf((long) rate);
  }

  private static String s(long nanos) {
    return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }
}
