package dev.heartbeat.redis;

import dev.heartbeat.spi.ClaimAnswer;
import dev.heartbeat.spi.ClaimRef;
import dev.heartbeat.spi.ClaimRenewal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The batch renewal of task claims: the renewals of one call grouped by queue (a queue is one
 * Cluster slot), one {@code task_renew.lua} call per queue and per {@value #CHUNK} claims, all sent
 * in one flush on the batch connection; each claim is a compare-and-set inside its script, and the
 * answers come back in the order of the renewals.
 */
final class TaskRenewals {
  private static final int CHUNK = 500;

  private final Context ctx;
  private final String eventsLength;
  private final BiConsumer<String, String> unreadable;

  TaskRenewals(Context ctx, String eventsLength, BiConsumer<String, String> unreadable) {
    this.ctx = ctx;
    this.eventsLength = eventsLength;
    this.unreadable = unreadable;
  }

  /** Renews checked renewals; one answer per renewal, in order. */
  List<ClaimAnswer> renew(List<ClaimRenewal> copy) {
    if (copy.isEmpty()) {
      return List.of();
    }
    List<List<Integer>> calls = calls(copy);
    List<RedisLink.Result<List<Object>>> answers = ctx.link().batch("renewClaims", c -> {
      List<io.lettuce.core.RedisFuture<List<Object>>> futures = new ArrayList<>(calls.size());
      for (List<Integer> call : calls) {
        futures.add(ctx.link().evalsha(c, Script.TASK_RENEW, renewKeys(copy, call),
            renewArgs(copy, call)));
      }
      return futures;
    });
    List<ClaimAnswer> out = new ArrayList<>(java.util.Collections.nCopies(copy.size(),
        ClaimAnswer.LOST));
    for (int c = 0; c < calls.size(); c++) {
      List<Integer> call = calls.get(c);
      List<Object> answer = answers.get(c).noScript()
          ? ctx.link().script(Script.TASK_RENEW, "renewClaims", renewKeys(copy, call),
              renewArgs(copy, call))
          : answers.get(c).value();
      for (int i = 0; i < call.size(); i++) {
        out.set(call.get(i), renewed(copy.get(call.get(i)).claim(), (String) answer.get(i + 1)));
      }
    }
    return out;
  }

  /** The indices of each renewal script call: grouped by queue, in chunks, order kept. */
  private static List<List<Integer>> calls(List<ClaimRenewal> renewals) {
    Map<String, List<Integer>> byQueue = new java.util.LinkedHashMap<>();
    for (int i = 0; i < renewals.size(); i++) {
      byQueue.computeIfAbsent(renewals.get(i).claim().queue(), k -> new ArrayList<>()).add(i);
    }
    List<List<Integer>> calls = new ArrayList<>();
    for (List<Integer> group : byQueue.values()) {
      for (int from = 0; from < group.size(); from += CHUNK) {
        calls.add(group.subList(from, Math.min(group.size(), from + CHUNK)));
      }
    }
    return calls;
  }

  private String[] renewKeys(List<ClaimRenewal> renewals, List<Integer> call) {
    String queue = renewals.get(call.get(0)).claim().queue();
    return new String[] {ctx.keys().queueEpoch(queue), ctx.keys().queue(queue) + ":claims"};
  }

  private String[] renewArgs(List<ClaimRenewal> renewals, List<Integer> call) {
    String queue = renewals.get(call.get(0)).claim().queue();
    String[] args = new String[3 + call.size() * 4];
    args[0] = ctx.offsetMillis();
    args[1] = ctx.keys().queue(queue);
    args[2] = eventsLength;
    for (int i = 0; i < call.size(); i++) {
      ClaimRenewal r = renewals.get(call.get(i));
      args[3 + i * 4] = r.claim().taskId();
      args[4 + i * 4] = r.claim().worker();
      args[5 + i * 4] = Long.toString(r.claim().token());
      args[6 + i * 4] = Long.toString(Records.micros(r.ttl()));
    }
    return args;
  }

  /** One answer of {@code task_renew.lua}: {@code lost}, {@code bad} or {@code expiry,cancel}. */
  private ClaimAnswer renewed(ClaimRef claim, String answer) {
    if ("lost".equals(answer)) {
      return ClaimAnswer.LOST;
    }
    int comma = answer.indexOf(',');
    if ("bad".equals(answer) || comma < 0) {
      unreadable.accept(claim.queue(), claim.taskId());
      return ClaimAnswer.LOST;
    }
    return new ClaimAnswer(Optional.of(Records.instant(Long.parseLong(answer, 0, comma, 10))),
        answer.endsWith(",1"));
  }
}
