package dev.heartbeat.redis;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.TaskCounts;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.ClaimAnswer;
import dev.heartbeat.spi.ClaimRef;
import dev.heartbeat.spi.ClaimRenewal;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskSignals;
import dev.heartbeat.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task half of the store ({@link RedisStore#tasks()}): every write is one Lua script on the
 * store's clock (see {@code task_prelude.lua} for the keys of a queue, all under the queue's hash
 * tag). A claim merges the ready set (INBOX by due time) with the claims set (IN_PROGRESS by
 * expiry) oldest first, settling expired claims on the way; every write after a claim is a
 * compare-and-set on worker, token and expiry. Tokens are {@code max(last + 1, store time in
 * µs)}, the last token of a pruned id stays reserved in the queue's fence hash, so tokens grow
 * across prune, re-submission and a loss of the data. Claims wait out the epoch marker's
 * quarantine, as acquisitions of leases do. Renewals go in one script per queue (per
 * 500 claims), all in one flush ({@link TaskRenewals}).
 */
final class TaskOps implements TaskStore {
  private static final Logger LOG = LoggerFactory.getLogger(TaskOps.class);
  private static final TaskState[] STATES = TaskState.values();
  private static final Duration MAX_RETRY_IN = Duration.ofDays(36_500);

  private final Context ctx;
  private final int maxTasks;
  private final String eventsLength;
  private final Duration maxTtl;
  private final Supplier<String> bound;
  private final AtomicLong quarantineLogged = new AtomicLong();
  private final TaskRenewals renewer;
  private final Optional<TaskSignals> signals;

  TaskOps(Context ctx, int maxTasks, int eventsLength, Duration maxTtl, Supplier<String> bound,
      Optional<RedisSignals> signals) {
    this.ctx = ctx;
    this.maxTasks = maxTasks;
    this.eventsLength = Integer.toString(eventsLength);
    this.maxTtl = maxTtl;
    this.bound = bound;
    this.renewer = new TaskRenewals(ctx, this.eventsLength, this::reportBad);
    this.signals = signals.map(TaskSignals.class::cast);
  }

  /**
   * The queues' signals ({@link RedisSignals}), published by the scripts of a new task, a retry
   * and an end back to INBOX; empty when the store was built without them.
   */
  @Override
  public Optional<TaskSignals> signals() {
    return signals;
  }

  /** The channel the scripts publish {@code queue}'s signals to, or '' when there are none. */
  private String channel(String queue) {
    return signals.isPresent() ? ctx.keys().signal(queue) : "";
  }

  @Override
  public TaskView submit(String queue, TaskSpec spec) {
    Checks.id("queue", queue);
    Checks.notNull("spec", spec);
    String op = "submit(" + queue + ", " + spec.id() + ")";
    String[] keys = new String[6];
    keys[0] = task(queue, spec.id());
    for (int i = 0; i < STATES.length; i++) {
      keys[i + 1] = state(queue, STATES[i]);
    }
    List<Object> answer = ctx.link().script(Script.TASK_SUBMIT, op, keys, args(queue,
        spec.id(), Integer.toString(maxTasks), spec.payload(), spec.attemptTimeout().toString(),
        spec.progressTimeout().toString(), Integer.toString(spec.maxAttempts()),
        Integer.toString(spec.maxLost()), spec.retryDelay().toString(),
        spec.maxRetryDelay().toString(), channel(queue)));
    if ("full".equals(answer.get(0))) {
      throw new HeartbeatStoreException(ctx.describe(), "submit", "queue '" + queue + "' holds "
          + answer.get(1) + " tasks, the most it keeps (" + maxTasks + "); prune final tasks"
          + " before submitting '" + spec.id() + "'");
    }
    return decode(queue, keys[0], answer.get(1)).orElseThrow(() -> new HeartbeatStoreException(
        ctx.describe(), op, "the stored task of that id cannot be read (see problems())"));
  }

  @Override
  public List<TaskClaim> claim(String queue, String worker, String incarnation, int max,
      Duration ttl) {
    Checks.id("queue", queue);
    Checks.id("worker", worker);
    Checks.id("incarnation", incarnation);
    Checks.atLeast("max", max, 1);
    checkTtl(ttl);
    String base = ctx.keys().queue(queue);
    List<Object> answer = ctx.link().script(Script.TASK_CLAIM, "claim(" + queue + ")",
        new String[] {ctx.keys().queueEpoch(queue), base + ":ready", base + ":claims"},
        args(queue, bound.get(), worker, incarnation, Integer.toString(max),
            Long.toString(Records.micros(ttl))));
    if ("quarantine".equals(answer.get(0))) {
      long until = Long.parseLong((String) answer.get(1));
      if (quarantineLogged.getAndSet(until) != until) {
        LOG.warn("{}: the epoch marker was missing or written by another server process (a first"
            + " start, lost data, a restart or a failover of Redis): no task is claimed until {}",
            ctx.describe(), Records.instant(until));
      }
      return List.of();
    }
    for (Object bad : (List<?>) answer.get(1)) {
      ctx.problems().report(task(queue, (String) bad), "task has missing or malformed fields");
    }
    List<TaskClaim> claims = new ArrayList<>(answer.size() - 2);
    for (Object fields : answer.subList(2, answer.size())) {
      String id = TaskRecords.fields(fields).get("id");
      decode(queue, task(queue, String.valueOf(id)), fields).ifPresent(view -> claims.add(
          new TaskClaim(view, new ClaimRef(queue, view.id(), worker, view.token()))));
    }
    return claims;
  }

  @Override
  public List<ClaimAnswer> renewClaims(List<ClaimRenewal> renewals) {
    Checks.notNull("renewals", renewals);
    List<ClaimRenewal> copy = List.copyOf(renewals);
    copy.forEach(r -> checkTtl(r.ttl()));
    return renewer.renew(copy);
  }

  @Override
  public boolean progress(ClaimRef claim, String progress, Optional<String> checkpoint) {
    Checks.notNull("claim", claim);
    Checks.text("progress", progress);
    Checks.notNull("checkpoint", checkpoint);
    checkpoint.ifPresent(c -> Checks.payload("checkpoint", c, TaskSpec.MAX_PAYLOAD_LENGTH));
    Long answer = ctx.link().script(Script.TASK_PROGRESS, "progress(" + claim.taskId() + ")",
        new String[] {task(claim.queue(), claim.taskId())}, args(claim.queue(), claim.taskId(),
            claim.worker(), Long.toString(claim.token()), progress,
            TaskRecords.present(checkpoint)));
    return written(claim, answer);
  }

  @Override
  public boolean end(ClaimRef claim, AttemptEnd end) {
    Checks.notNull("claim", claim);
    Checks.notNull("end", end);
    Long answer = ctx.link().script(Script.TASK_END, "end(" + claim.taskId() + ")",
        new String[] {task(claim.queue(), claim.taskId())}, args(claim.queue(), claim.taskId(),
            claim.worker(), Long.toString(claim.token()), end.outcome().name(),
            end.outcome().isFailure() ? "1" : "0",
            TaskRecords.tail(end.errorClass(), end.message(), end.stackTrace()),
            end.next().name(), Long.toString(retryMicros(end.retryIn())),
            TaskRecords.present(end.text()), channel(claim.queue())));
    return written(claim, answer);
  }

  private boolean written(ClaimRef claim, Long answer) {
    if (answer != null && answer < 0) {
      reportBad(claim.queue(), claim.taskId());
    }
    return answer != null && answer > 0;
  }

  @Override
  public Optional<TaskView> read(String queue, String id) {
    Checks.id("queue", queue);
    Checks.id("id", id);
    String key = task(queue, id);
    Map<String, String> hash = ctx.link().await(ctx.link().commands().hgetall(key),
        "read(" + queue + ", " + id + ")");
    return hash.isEmpty() ? Optional.empty() : decode(queue, key, hash);
  }

  @Override
  public List<TaskView> list(String queue, TaskState state, int limit) {
    Checks.id("queue", queue);
    Checks.notNull("state", state);
    Checks.atLeast("limit", limit, 1);
    String op = "list(" + queue + ", " + state + ")";
    List<String> ids = ctx.link().await(ctx.link().commands().zrange(state(queue, state), 0,
        limit - 1), op);
    List<String> keys = ids.stream().map(id -> task(queue, id)).toList();
    List<Map<String, String>> hashes = ctx.hashes(keys, op);
    List<TaskView> out = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      if (!hashes.get(i).isEmpty()) { // pruned since the range was read
        decode(queue, keys.get(i), hashes.get(i)).filter(v -> v.state() == state)
            .ifPresent(out::add);
      }
    }
    return out;
  }

  @Override
  public TaskCounts counts(String queue) {
    Checks.id("queue", queue);
    String[] keys = new String[STATES.length];
    for (int i = 0; i < STATES.length; i++) {
      keys[i] = state(queue, STATES[i]);
    }
    List<Object> answer = ctx.link().script(Script.TASK_COUNTS, "counts(" + queue + ")", keys,
        args(queue));
    Map<TaskState, Long> counts = new EnumMap<>(TaskState.class);
    for (int i = 0; i < STATES.length; i++) {
      counts.put(STATES[i], (Long) answer.get(i));
    }
    return new TaskCounts(counts);
  }

  @Override
  public Optional<TaskView> cancel(String queue, String id) {
    return change(Script.TASK_CANCEL, "cancel", queue, id, false);
  }

  @Override
  public Optional<TaskView> retry(String queue, String id) {
    return change(Script.TASK_RETRY, "retry", queue, id, true);
  }

  private Optional<TaskView> change(Script script, String name, String queue, String id,
      boolean signalling) {
    Checks.id("queue", queue);
    Checks.id("id", id);
    String key = task(queue, id);
    List<Object> answer = ctx.link().script(script, name + "(" + queue + ", " + id + ")",
        new String[] {key}, signalling ? args(queue, channel(queue)) : args(queue));
    return switch ((String) answer.get(0)) {
      case "ok" -> decode(queue, key, answer.get(1));
      case "bad" -> {
        reportBad(queue, id);
        yield Optional.empty();
      }
      default -> Optional.empty();
    };
  }

  @Override
  public int prune(String queue, Instant before, int limit) {
    Checks.id("queue", queue);
    Checks.notNull("before", before);
    Checks.atLeast("limit", limit, 1);
    String base = ctx.keys().queue(queue);
    long micros = Math.multiplyExact(before.getEpochSecond(), 1_000_000L) + before.getNano() / 1000
        + (before.getNano() % 1000 > 0 ? 1 : 0); // before an instant between two microseconds
    Long deleted = ctx.link().script(Script.TASK_PRUNE, "prune(" + queue + ")",
        new String[] {base + ":final", base + ":fence", base + ":pruned"},
        args(queue, Long.toString(micros), Integer.toString(limit), Integer.toString(maxTasks)));
    return Math.toIntExact(deleted);
  }

  /** The arguments every task script takes first (clock, queue's key base, events length). */
  private String[] args(String queue, String... rest) {
    String[] args = new String[3 + rest.length];
    args[0] = ctx.offsetMillis();
    args[1] = ctx.keys().queue(queue);
    args[2] = eventsLength;
    System.arraycopy(rest, 0, args, 3, rest.length);
    return args;
  }

  private Optional<TaskView> decode(String queue, String key, Object fields) {
    try {
      Map<String, String> hash = fields instanceof Map<?, ?> m
          ? castMap(m) : TaskRecords.fields(fields);
      return Optional.of(TaskRecords.view(queue, hash));
    } catch (Records.Unreadable e) {
      ctx.problems().report(key, e.getMessage());
      return Optional.empty();
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> castMap(Map<?, ?> m) {
    return (Map<String, String>) m;
  }

  private void reportBad(String queue, String id) {
    ctx.problems().report(task(queue, id), "task has missing or malformed fields");
  }

  private String task(String queue, String id) {
    return ctx.keys().queue(queue) + ":t:" + id;
  }

  private String state(String queue, TaskState state) {
    return ctx.keys().queue(queue) + ":s:" + state.name();
  }

  /** A retry delay in microseconds, at most a hundred years (the scripts count in doubles). */
  private static long retryMicros(Duration retryIn) {
    Duration capped = retryIn.compareTo(MAX_RETRY_IN) > 0 ? MAX_RETRY_IN : retryIn;
    return capped.getSeconds() * 1_000_000L + capped.getNano() / 1000;
  }

  private void checkTtl(Duration ttl) {
    Checks.positive("ttl", ttl);
    if (ttl.compareTo(maxTtl) > 0) {
      throw new IllegalArgumentException("ttl must be at most the store's maxLeaseTtl " + maxTtl
          + " (the quarantine after a data loss), got " + ttl);
    }
  }
}
