package dev.heartbeat.redis;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.ProgressEvent;
import dev.heartbeat.spi.AgentChanges;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.ChangeCursor;
import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.Retention;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.StreamMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The heartbeat half of the store. One beat is one {@code beat.lua} call: latest state in the
 * agent's hash, an entry in its beats stream (approximate {@code MAXLEN}, reads clipped to the
 * history limit), an entry in its events stream when the beat carries new progress, and, on a
 * single server, an entry in the feed stream, all in one atomic script. A beat that is not the
 * newest (another incarnation, a sequence not above the stored one, after {@code LEFT}) changes
 * nothing and gets the stored state back. The agent registry is a set: on a single server the
 * registration script adds to it and {@code forget} removes from it, atomically with the agent's
 * keys; in a cluster (another slot) a registration adds before and again after its script and
 * {@code forget} removes before its script, so the registry may name an agent that does not
 * exist (skipped), never miss one that does.
 */
final class AgentOps {
  private final Context ctx;
  private final int historyLimit;
  private final int feedLength;

  AgentOps(Context ctx, int historyLimit, int feedLength) {
    this.ctx = ctx;
    this.historyLimit = historyLimit;
    this.feedLength = feedLength;
  }

  Heartbeat register(Beat first) {
    String op = "register(" + first.agentId() + ")";
    if (!ctx.link().cluster()) {
      List<Object> answer = ctx.link().script(Script.BEAT, op, keys(first), args(first, "register"));
      ctx.problems().repaired(ctx.keys().agent(first.agentId()));
      return stored(first, answer, op).orElseThrow();
    }
    // before: a crash after the script cannot leave the agent unlisted; after: a forget that
    // removed the entry between the two cannot either
    RedisFuture<Long> listed = ctx.link().commands().sadd(ctx.keys().agents(), first.agentId());
    List<Object> answer = ctx.link().script(Script.BEAT, op, keys(first), args(first, "register"));
    ctx.link().await(listed, op);
    ctx.link().await(ctx.link().commands().sadd(ctx.keys().agents(), first.agentId()), op);
    ctx.problems().repaired(ctx.keys().agent(first.agentId()));
    return stored(first, answer, op).orElseThrow();
  }

  Optional<Heartbeat> record(Beat beat) {
    String op = "record(" + beat.agentId() + ")";
    return stored(beat, ctx.link().script(Script.BEAT, op, keys(beat), args(beat, "record")), op);
  }

  List<Optional<Heartbeat>> recordAll(List<Beat> beats) {
    List<RedisLink.Result<List<Object>>> answers = ctx.link().batch("recordAll", c -> {
      List<RedisFuture<List<Object>>> futures = new ArrayList<>(beats.size());
      for (Beat beat : beats) {
        futures.add(ctx.link().evalsha(c, Script.BEAT, keys(beat), args(beat, "record")));
      }
      return futures;
    });
    List<Optional<Heartbeat>> out = new ArrayList<>(beats.size());
    for (int i = 0; i < beats.size(); i++) {
      Beat beat = beats.get(i);
      String op = "record(" + beat.agentId() + ")";
      List<Object> answer = answers.get(i).noScript()
          ? ctx.link().script(Script.BEAT, op, keys(beat), args(beat, "record"))
          : answers.get(i).value();
      out.add(stored(beat, answer, op));
    }
    return out;
  }

  private String[] keys(Beat beat) {
    String id = beat.agentId();
    Keys k = ctx.keys();
    if (ctx.link().cluster()) {
      return new String[] {k.agent(id), k.beats(id), k.events(id)};
    }
    return feedLength > 0
        ? new String[] {k.agent(id), k.beats(id), k.events(id), k.agents(), k.changes(), k.feed()}
        : new String[] {k.agent(id), k.beats(id), k.events(id), k.agents(), k.changes()};
  }

  private String[] args(Beat b, String mode) {
    return new String[] {ctx.offsetMillis(), mode, Integer.toString(historyLimit), b.agentId(),
        b.incarnation(), Long.toString(b.sequence()), b.taskId().map(t -> "=" + t).orElse(""),
        b.status().name(), Records.cpu(b.cpu()), b.progress().map(p -> "=" + p).orElse(""),
        b.newProgress() ? "1" : "0", Integer.toString(feedLength),
        b.interval().map(i -> Long.toString(Records.micros(i))).orElse("")};
  }

  private Optional<Heartbeat> stored(Beat b, List<Object> answer, String op) {
    String outcome = (String) answer.get(0);
    switch (outcome) {
      case "ok" -> {
        Optional<java.time.Instant> progressAt = answer.get(2) == null ? Optional.empty()
            : Optional.of(Records.instant(Long.parseLong((String) answer.get(2))));
        Heartbeat stored = new Heartbeat(b.agentId(), b.incarnation(), b.sequence(), b.taskId(),
            b.status(), b.cpu(), b.progress(), progressAt,
            Records.instant(Long.parseLong((String) answer.get(1))), b.interval());
        if (feedLength > 0 && ctx.link().cluster()) {
          Feeds.append(ctx, stored, feedLength);
        }
        return Optional.of(stored);
      }
      case "stale" -> {
        return Optional.of(staleAnswer(b.agentId(), answer));
      }
      case "unknown" -> {
        return Optional.empty();
      }
      case "bad" -> {
        ctx.problems().report(ctx.keys().agent(b.agentId()), "latest state has missing or malformed fields");
        return Optional.empty();
      }
      default -> throw new IllegalStateException(op + ": unexpected script answer " + answer);
    }
  }

  /** The stored state a stale beat got back: {@code ['stale', field, value, ...]}. */
  private Heartbeat staleAnswer(String agentId, List<Object> answer) {
    Map<String, String> fields = new java.util.HashMap<>();
    for (int i = 1; i + 1 < answer.size(); i += 2) {
      fields.put((String) answer.get(i), (String) answer.get(i + 1));
    }
    return Records.heartbeat(agentId, fields); // the script checked it is readable
  }

  Optional<Heartbeat> agent(String agentId) {
    Checks.id("agentId", agentId);
    String key = ctx.keys().agent(agentId);
    return parse(agentId, key, ctx.link().await(ctx.link().commands().hgetall(key), "agent(" + agentId + ")"));
  }

  List<Heartbeat> agents() {
    List<String> ids = ctx.members(ctx.keys().agents(), "agents()");
    List<Map<String, String>> hashes = ctx.hashes(ids.stream().map(ctx.keys()::agent).toList(), "agents()");
    List<Heartbeat> out = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      parse(ids.get(i), ctx.keys().agent(ids.get(i)), hashes.get(i)).ifPresent(out::add);
    }
    return out;
  }

  private Optional<Heartbeat> parse(String agentId, String key, Map<String, String> hash) {
    if (hash.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Records.heartbeat(agentId, hash));
    } catch (Records.Unreadable e) {
      ctx.problems().report(key, e.getMessage());
      return Optional.empty();
    }
  }

  List<Heartbeat> history(String agentId, int limit) {
    Checks.id("agentId", agentId);
    return newest(ctx.keys().beats(agentId), limit, "history(" + agentId + ")",
        (id, f) -> Records.heartbeat(agentId, f));
  }

  List<ProgressEvent> events(String agentId, int limit) {
    Checks.id("agentId", agentId);
    return newest(ctx.keys().events(agentId), limit, "events(" + agentId + ")",
        (id, f) -> Records.event(agentId, f));
  }

  private <T> List<T> newest(String key, int limit, String op,
      BiFunction<String, Map<String, String>, T> parse) {
    int count = Math.min(limit, historyLimit);
    if (count <= 0) {
      return List.of();
    }
    List<StreamMessage<String, String>> entries = ctx.link().await(
        ctx.link().commands().xrevrange(key, Range.create("-", "+"), Limit.from(count)), op);
    List<T> out = new ArrayList<>(entries.size());
    for (StreamMessage<String, String> entry : entries) {
      try {
        out.add(parse.apply(entry.getId(), entry.getBody()));
      } catch (Records.Unreadable e) {
        ctx.problems().report(key + "#" + entry.getId(), e.getMessage());
      }
    }
    return out;
  }

  /**
   * Deletes the agent's hash and streams in one script. The registry entry goes first (in the
   * same script on a single server): a registration racing this call re-adds it after its own
   * script (see {@link #register}), so no agent that exists is left out of the registry.
   */
  boolean forget(String agentId) {
    Checks.id("agentId", agentId);
    String op = "forget(" + agentId + ")";
    Keys k = ctx.keys();
    String[] keys;
    if (ctx.link().cluster()) { // the registry is in another slot: removed first, on its own
      ctx.link().await(ctx.link().commands().srem(k.agents(), agentId), op);
      keys = new String[] {k.agent(agentId), k.beats(agentId), k.events(agentId)};
    } else {
      keys = new String[] {k.agent(agentId), k.beats(agentId), k.events(agentId), k.agents(),
          k.changes()};
    }
    Long known = ctx.link().script(Script.FORGET, op, keys, ctx.offsetMillis(), agentId);
    ctx.problems().repaired(k.agent(agentId));
    return known != null && known > 0;
  }

  /**
   * On a single server, the agents whose change number (in the change index every beat and
   * forget script moves them in, atomically with the write) is above the cursor: one range read
   * of the index, then their hashes; an agent indexed but without a hash was forgotten. Scripts
   * run one at a time and number their changes in that order, so there is no commit-order race.
   * In a cluster the index would live in another slot than the agents: every read is complete.
   */
  AgentChanges changedSince(ChangeCursor cursor) {
    String op = "agentsChangedSince()";
    if (ctx.link().cluster()) {
      return AgentChanges.all(agents());
    }
    if (cursor.isStart()) {
      List<ScoredValue<String>> top = ctx.link().await(
          ctx.link().commands().zrevrangeWithScores(ctx.keys().changes(), 0, 0), op);
      long newest = top.isEmpty() ? 0 : (long) top.get(0).getScore(); // read first: none skipped
      return new AgentChanges(agents(), List.of(), true, new ChangeCursor(newest));
    }
    List<ScoredValue<String>> entries = ctx.link().await(ctx.link().commands()
        .zrangebyscoreWithScores(ctx.keys().changes(), Range.from(
            Range.Boundary.excluding((double) cursor.position()), Range.Boundary.unbounded())), op);
    List<String> ids = entries.stream().map(ScoredValue::getValue).toList();
    List<Map<String, String>> hashes = ctx.hashes(ids.stream().map(ctx.keys()::agent).toList(), op);
    List<Heartbeat> changed = new ArrayList<>(ids.size());
    List<String> forgotten = new ArrayList<>();
    long next = cursor.position();
    for (int i = 0; i < ids.size(); i++) {
      next = Math.max(next, (long) entries.get(i).getScore());
      if (hashes.get(i).isEmpty()) {
        forgotten.add(ids.get(i));
      } else {
        parse(ids.get(i), ctx.keys().agent(ids.get(i)), hashes.get(i)).ifPresent(changed::add);
      }
    }
    changed.sort(java.util.Comparator.comparing(Heartbeat::agentId));
    return new AgentChanges(changed, forgotten, false, new ChangeCursor(next));
  }

  /**
   * Drops change numbers older than {@code cutoffMicros} from the change index (a reader whose
   * cursor is older sees those forgets by a complete read), then prunes history and events.
   */
  long prune(Retention retention, long cutoffMicros) {
    if (!ctx.link().cluster()) {
      ctx.link().await(ctx.link().commands().zremrangebyscore(ctx.keys().changes(),
          Range.create(Double.NEGATIVE_INFINITY, (double) cutoffMicros)), "prune()");
    }
    return prune(retention);
  }

  long prune(Retention retention) {
    Checks.notNull("retention", retention);
    List<String> ids = ctx.members(ctx.keys().agents(), "prune()");
    String[] args = {ctx.offsetMillis(), Long.toString(retention.maxAge().toMillis()),
        Integer.toString(retention.keepLast())};
    long removed = 0;
    for (String id : ids) {
      Long n = ctx.link().script(Script.PRUNE, "prune(" + id + ")",
          new String[] {ctx.keys().beats(id), ctx.keys().events(id)}, args);
      removed += n;
    }
    return removed;
  }
}
