package dev.heartbeat.redis;

import dev.heartbeat.Heartbeat;
import io.lettuce.core.XAddArgs;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed stream's entries. On a single server the beat script writes them atomically with the
 * beat; in a cluster the feed lives in another slot, so the store appends the entry after the
 * beat succeeded, without waiting for it: a crash between the two loses that feed entry, never
 * the beat.
 */
final class Feeds {
  private static final Logger LOG = LoggerFactory.getLogger(Feeds.class);

  private Feeds() {}

  static void append(Context ctx, Heartbeat h, int feedLength) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("agent", h.agentId());
    body.put("inc", h.incarnation());
    body.put("seq", Long.toString(h.sequence()));
    body.put("status", h.status().name());
    body.put("cpu", Records.cpu(h.cpu()));
    body.put("at", Long.toString(micros(h.at())));
    h.taskId().ifPresent(t -> body.put("task", t));
    h.progress().ifPresent(p -> body.put("progress", p));
    h.interval().ifPresent(i -> body.put("iv", Long.toString(Records.micros(i))));
    h.progressAt().ifPresent(at -> body.put("pat", Long.toString(micros(at))));
    ctx.link().commands()
        .xadd(ctx.keys().feed(), XAddArgs.Builder.maxlen(feedLength).approximateTrimming(), body)
        .whenComplete((id, failure) -> {
          if (failure != null) {
            LOG.debug("{}: feed entry of {} not written: {}", ctx.describe(), h.agentId(), failure.toString());
          }
        });
  }

  /** The heartbeat in a feed entry. */
  static Heartbeat heartbeat(Map<String, String> body) {
    String agent = body.get("agent");
    if (agent == null || agent.isBlank()) {
      throw new Records.Unreadable("field 'agent' is missing");
    }
    return Records.heartbeat(agent, body);
  }

  private static long micros(java.time.Instant at) {
    return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1000);
  }
}
