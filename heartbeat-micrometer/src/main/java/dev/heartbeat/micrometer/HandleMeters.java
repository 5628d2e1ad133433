package dev.heartbeat.micrometer;

import static dev.heartbeat.micrometer.Meters.SECONDS;
import static dev.heartbeat.micrometer.Meters.seconds;

import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.CallStats;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.Leadership;
import dev.heartbeat.TaskWorker;
import dev.heartbeat.WorkerStats;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The meters read from the engine and from the handles the user registered: all of them are
 * in-memory reads of the engine's own counters (no store call).
 */
final class HandleMeters {
  private HandleMeters() {}

  static void engine(Meters m, Heartbeats hb) {
    Tags none = Tags.empty();
    m.counter("heartbeat.ticker.ticks", "wake-ups of the engine's ticker", none, hb,
        h -> h.ticker().ticks());
    m.counter("heartbeat.ticker.errors", "exceptions the ticker caught and survived", none, hb,
        h -> h.ticker().errors());
    m.counter("heartbeat.ticker.dropped", "notices dropped because their bounded queue was full",
        none, hb, h -> h.ticker().dropped());
    m.gauge("heartbeat.ticker.lateness.last", "lateness of the ticker's latest wake-up", SECONDS,
        none, hb, h -> seconds(h.ticker().lastLateness()));
    m.gauge("heartbeat.ticker.lateness.max", "largest lateness of the ticker since start",
        SECONDS, none, hb, h -> seconds(h.ticker().maxLateness()));
    m.gauge("heartbeat.store.calls.running", "store calls started and not returned yet", null,
        none, hb, h -> h.ticker().storeCallsRunning());
    m.counter("heartbeat.store.calls.refused",
        "store calls not sent because one of their kind was still hanging", none, hb,
        h -> h.ticker().storeCallsRefused());
  }

  static void agent(Meters m, HeartbeatAgent agent) {
    Tags tags = Tags.of("agent", agent.id());
    calls(m, "heartbeat.beats", "beats of this agent by result", tags, agent,
        a -> a.diagnostics().beats());
    latency(m, "heartbeat.beat.latency", "store round trip of a beat", tags, agent,
        a -> a.diagnostics().beats());
  }

  static void leadership(Meters m, Leadership l) {
    Tags tags = Tags.of("lease", l.name());
    m.gauge("heartbeat.lease.held", "1 while this process holds the lease, else 0", null, tags,
        l, x -> x.isLeader() ? 1 : 0);
    m.gauge("heartbeat.lease.remaining", "local validity left on the held lease, else 0",
        SECONDS, tags, l, x -> {
          var d = x.diagnostics();
          return d.leader() ? seconds(d.validFor()) : 0;
        });
    m.counter("heartbeat.lease.elections", "times this process was elected", tags, l,
        x -> x.diagnostics().timesElected());
    calls(m, "heartbeat.lease.calls", "acquisitions and renewals of the lease by result", tags, l,
        x -> x.diagnostics().calls());
    latency(m, "heartbeat.lease.latency", "store round trip of an acquisition or renewal", tags,
        l, x -> x.diagnostics().calls());
  }

  static void worker(Meters m, TaskWorker w) {
    Tags tags = Tags.of("worker", w.id());
    m.gauge("heartbeat.task.running", "attempts running now", null, tags, w,
        x -> x.stats().running());
    m.counter("heartbeat.task.claims", "tasks claimed", tags, w, x -> x.stats().claimed());
    attempts(m, tags, w, "done", WorkerStats::done);
    attempts(m, tags, w, "failed", WorkerStats::failed);
    attempts(m, tags, w, "timed_out", WorkerStats::timedOut);
    attempts(m, tags, w, "stalled", WorkerStats::stalled);
    attempts(m, tags, w, "blocked", WorkerStats::blocked);
    attempts(m, tags, w, "cancelled", WorkerStats::cancelled);
    attempts(m, tags, w, "released", WorkerStats::released);
    for (AttemptOutcome reason : AttemptOutcome.values()) {
      if (reason != AttemptOutcome.DONE && reason != AttemptOutcome.CANCELLED) { // final
        m.counter("heartbeat.task.reassignments", "tasks claimed that had run before, by how "
            + "their previous attempt ended", tags.and("reason",
            reason.name().toLowerCase(Locale.ROOT)), w, x -> x.stats().reassigned(reason));
      }
    }
    m.counter("heartbeat.task.fenced.out",
        "writes refused because the claim was gone (and the attempts they ended)", tags, w,
        x -> x.stats().fencedOut());
    m.counter("heartbeat.task.self.fenced",
        "attempts interrupted because their claims could not be renewed in time", tags, w,
        x -> x.stats().selfFenced());
  }

  private static void attempts(Meters m, Tags tags, TaskWorker w, String outcome,
      ToLongFunction<WorkerStats> count) {
    m.counter("heartbeat.task.attempts", "attempts ended, by outcome",
        tags.and("outcome", outcome), w, x -> count.applyAsLong(x.stats()));
  }

  private static <T> void calls(Meters m, String name, String description, Tags tags, T source,
      Function<T, CallStats> stats) {
    m.counter(name, description, tags.and("result", "succeeded"), source,
        s -> stats.apply(s).succeeded());
    m.counter(name, description, tags.and("result", "failed"), source,
        s -> stats.apply(s).failed());
  }

  private static <T> void latency(Meters m, String name, String what, Tags tags, T source,
      Function<T, CallStats> stats) {
    m.gauge(name + ".last", what + ", the latest", SECONDS, tags, source,
        s -> seconds(stats.apply(s).lastLatency()));
    m.gauge(name + ".mean", what + ", moving mean (weight 1/" + CallStats.LATENCY_WEIGHT + ")",
        SECONDS, tags, source, s -> seconds(stats.apply(s).meanLatency()));
    m.gauge(name + ".max", what + ", the largest since start", SECONDS, tags, source,
        s -> seconds(stats.apply(s).maxLatency()));
  }
}
