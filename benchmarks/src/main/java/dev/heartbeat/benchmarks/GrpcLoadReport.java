package dev.heartbeat.benchmarks;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** The Markdown of one {@link GrpcLoadRun}: CPU per beat against the baseline, watch latency. */
final class GrpcLoadReport {
  static final Duration GOAL = Duration.ofSeconds(1);

  static void print(PrintStream out, String kind, int agents, int seconds, GrpcLoadRun.Side server,
      GrpcLoadRun.Side direct, GrpcLoadRun.Side client, GrpcLoad load) {
    long[] left = load.left.sorted();
    long[] rejoined = load.rejoined.sorted();
    out.printf(Locale.ROOT, "### %s: %,d agents beating every %d s, measured %d s after %d s of"
        + " warm-up%n%n", kind.equals("redis") ? "Redis" : "PostgreSQL", agents,
        GrpcLoadChild.INTERVAL.toSeconds(), seconds, GrpcLoadRun.WARM_UP.toSeconds());
    out.printf(Locale.ROOT, "Java %s, %d cores, load average %s at the end. Server and baseline"
        + " each in a child JVM (CPU: user + system time of the whole process from"
        + " `/proc/<pid>/stat`, read through `ProcessHandle`), each on a fresh %s store;"
        + " the detector of the server polls with `DetectorConfig.forInterval(1 s)`.%n%n",
        Runtime.version(), Runtime.getRuntime().availableProcessors(), loadAverage(), kind);
    out.println("| process | beats stored | of expected | CPU s | CPU per beat µs | share of one"
        + " core | CPU per beat vs direct | peak threads |");
    out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    row(out, "gRPC server (`BeatStream` + detector + `Watch`)", server, agents, direct);
    row(out, "direct `HeartbeatAgent`s on a `Heartbeats` (baseline)", direct, agents, direct);
    row(out, "load process (beats sent; not a baseline)", client, agents, direct);
    out.println();
    out.println("| watch latency, beat sent to change seen | samples | not seen 3 s after the"
        + " window (both kinds) | p50 ms |"
        + " p99 ms | max ms | p99 / 1 s goal |");
    out.println("|---|---:|---:|---:|---:|---:|---:|");
    latency(out, "`LEFT` beat on its `BeatStream` -> `LEFT`", left, load.unseen());
    latency(out, "`Register` of a new incarnation -> `REJOINED`", rejoined, -1);
    out.println();
    out.printf(Locale.ROOT, "Load process: %d client channels of up to %d streams, one sending"
        + " thread (largest lag behind its schedule in the window %.0f ms); %,d beats not sent"
        + " because the agent's previous beat was unanswered (the run, warm-up included), %,d"
        + " answered without a state (unknown agent), %,d stream or call errors; %s.%n",
        (agents + GrpcLoad.STREAMS_PER_CHANNEL - 1) / GrpcLoad.STREAMS_PER_CHANNEL,
        GrpcLoad.STREAMS_PER_CHANNEL, load.maxLagNanos.get() / 1e6, load.skipped.sum(),
        load.unknown.sum(), load.errors.sum(), load.watchError.get() == null
            ? "the watch stayed open throughout"
            : "the server ended the watch, opened " + load.watches.get() + " times in all (first"
                + " end: " + load.watchError.get() + ")");
  }

  private static void row(PrintStream out, String name, GrpcLoadRun.Side s, int agents,
      GrpcLoadRun.Side direct) {
    double expected = agents * (s.wallNanos() / 1e9) / GrpcLoadChild.INTERVAL.toSeconds();
    out.printf(Locale.ROOT, "| %s | %,d | %.2f | %.1f | %.1f | %.1f %% | %.2fx | %,d |%n",
        name, s.beats(), s.beats() / expected, s.cpuNanos() / 1e9, s.cpuPerBeatMicros(),
        100.0 * s.cpuNanos() / s.wallNanos(), s.cpuPerBeatMicros() / direct.cpuPerBeatMicros(),
        s.peakThreads());
  }

  private static void latency(PrintStream out, String name, long[] sorted, int unseen) {
    double p99 = percentile(sorted, 0.99);
    out.printf(Locale.ROOT, "| %s | %,d | %s | %.1f | %.1f | %.1f | %.2f %s |%n", name,
        sorted.length, unseen < 0 ? "" : String.format(Locale.ROOT, "%,d",
            unseen), percentile(sorted, 0.50), p99,
        sorted.length == 0 ? 0.0 : sorted[sorted.length - 1] / 1e6,
        p99 / GOAL.toMillis(), sorted.length > 0 && p99 < GOAL.toMillis() ? "✓" : "✗");
  }

  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }

  private static String loadAverage() {
    double l = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        .getSystemLoadAverage();
    return String.format(Locale.ROOT, "%.1f", l);
  }

  private GrpcLoadReport() {}
}
