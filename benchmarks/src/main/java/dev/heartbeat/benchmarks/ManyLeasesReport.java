package dev.heartbeat.benchmarks;

import dev.heartbeat.benchmarks.ManyLeasesRun.Result;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The Markdown tables of {@link ManyLeasesRun}: figures per lease per minute and ratios. */
final class ManyLeasesReport {
  static final double GOAL = 10;
  private final int leases;
  private final int seconds;
  private final List<String> out = new ArrayList<>();

  ManyLeasesReport(int leases, int seconds) {
    this.leases = leases;
    this.seconds = seconds;
  }

  static String describe(String side) {
    return switch (side) {
      case "heartbeat-redis", "heartbeat-postgres" -> "`elect()` campaigns in one `Heartbeats`,"
          + " TTL 30 s: renewed every 10 s, due leases in one `renewAll`";
      case "redisson" -> "`RLock.lockAsync(owner)`, no lease time: watchdog 30 s, renewed every"
          + " 10 s, 100 locks an `EVAL` (3.52's default `lockWatchdogBatchSize`)";
      case "redisson-batch1" -> "the same with `lockWatchdogBatchSize(1)`: one `EVAL` a lock";
      case "shedlock-redis" -> "`KeepAliveLockProvider` over `RedisLockProvider` (Spring Data"
          + " Redis, Lettuce), `lockAtMostFor` 30 s: extended every 15 s, `SET XX PX` a lock";
      case "shedlock-postgres" -> "`KeepAliveLockProvider` over `JdbcTemplateLockProvider`"
          + " (database time), 30 s: extended every 15 s, `UPDATE` + `COMMIT` a lock";
      default -> side;
    };
  }

  static int renewalsPerMinute(String side) {
    return side.startsWith("shedlock") ? 4 : 6;
  }

  /** Microseconds per lease per minute of wall time. */
  double perLeaseMinute(long nanos, long wallNanos) {
    return nanos / 1e3 / leases / (wallNanos / 60e9);
  }

  static String ratio(double peer, double heartbeat) {
    if (heartbeat <= 0) {
      return "– (heartbeat read 0)";
    }
    double r = peer / heartbeat;
    return String.format(Locale.ROOT, "%.1fx %s", r, r >= GOAL ? "✓" : "✗");
  }

  void add(String kind, String where, Result idle, List<Result> results) {
    Result hb = results.get(0);
    boolean redis = kind.equals("redis");
    out.add("");
    out.add(String.format(Locale.ROOT, "### %s: %,d leases held at once, measured %d s a side",
        redis ? "Redis" : "PostgreSQL", leases, seconds));
    out.add("");
    out.add("Server: " + where + ".");
    out.add("");
    double idleMsMinute = idle.serverNanos() / 1e6 / (idle.wallNanos() / 60e9);
    if (redis) {
      out.add(String.format(Locale.ROOT, "Idle server first (no side running, %.0f s): %.1f ms"
          + " of server CPU a minute and %,.0f commands a minute, which is %.2f µs per lease per"
          + " minute at %,d leases.", idle.wallNanos() / 1e9, idleMsMinute,
          idle.commands() / (idle.wallNanos() / 60e9),
          perLeaseMinute(idle.serverNanos(), idle.wallNanos()), leases));
    } else {
      out.add(String.format(Locale.ROOT, "Idle reading first (%.0f s): all postgres processes"
          + " together moved by %.1f ms of CPU a minute: other work on the shared server, whose"
          + " backends come and go (one that exits takes its time with it, so this can be"
          + " negative). The table counts the side's own backends only.",
          idle.wallNanos() / 1e9, idleMsMinute));
    }
    out.add("");
    // Redis: the server's own housekeeping (serverCron) runs whatever the side does, so the
    // server ratio is of the CPU above the idle reading; PostgreSQL: the side's own backends
    double idleRate = redis ? perLeaseMinute(idle.serverNanos(), idle.wallNanos()) : 0;
    out.add("| side | how it keeps them | held at start / end (lost meanwhile) | acquired in s"
        + " | renewals / lease / min | client CPU µs / lease / min | "
        + (redis ? "Redis CPU µs / lease / min (above idle)"
            : "own backends' CPU µs / lease / min")
        + (redis ? " | Redis commands run / lease / min (script bodies included)" : "")
        + " | client: side / heartbeat | server: side / heartbeat |");
    out.add(redis ? "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
        : "|---|---|---:|---:|---:|---:|---:|---:|---:|");
    double hbClient = perLeaseMinute(hb.clientNanos(), hb.wallNanos());
    double hbServer = perLeaseMinute(hb.ownServerNanos(), hb.wallNanos()) - idleRate;
    for (Result r : results) {
      double client = perLeaseMinute(r.clientNanos(), r.wallNanos());
      double own = perLeaseMinute(r.ownServerNanos(), r.wallNanos());
      String server = redis
          ? String.format(Locale.ROOT, "%.1f (%.1f) | %.2f", own, own - idleRate,
              r.commands() / (double) leases / (r.wallNanos() / 60e9))
          : String.format(Locale.ROOT, "%.1f", own);
      boolean self = r == hb;
      out.add(String.format(Locale.ROOT, "| %s | %s | %,d / %,d (%d) | %.1f | %d | %.1f | %s"
          + " | %s | %s |", r.side(), describe(r.side()), r.held(), r.stillHeld(), r.lost(),
          r.acquireMs() / 1e3, renewalsPerMinute(r.side()), client, server,
          self ? "" : ratio(client, hbClient), self ? "" : ratio(own - idleRate, hbServer)));
    }
  }

  void print(PrintStream to) {
    to.printf(Locale.ROOT, "many-leases: %,d leases a side, one side at a time, each in its own"
        + " JVM (-Xmx1g), measured %d s after %d s of settling; Java %s, %d cores%n", leases,
        seconds, ManyLeasesRun.SETTLE.toSeconds(), Runtime.version(),
        Runtime.getRuntime().availableProcessors());
    to.println();
    to.println("Client CPU: the side's whole JVM (ProcessHandle total CPU time: renewal threads,"
        + " client I/O threads, GC, JIT). Server CPU: Redis `INFO` used_cpu_sys + used_cpu_user;"
        + " PostgreSQL `/proc/<pid>/stat` utime + stime of the side's own backends (its pool of"
        + " 8, found by application_name). Lost meanwhile: leaderships revoked between the"
        + " side holding them all and the end (heartbeat; the peers do not say)."
        + " Ratios: the side's figure over heartbeat's on the same server (Redis: CPU above the"
        + " idle reading); goal at least " + (int) GOAL + "x of each. ShedLock's keep-alive runs"
        + " on a scheduler of " + ManyLeasesSide.SHEDLOCK_THREADS + " threads.");
    for (String line : out) {
      to.println(line);
    }
  }
}
