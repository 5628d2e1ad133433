package dev.heartbeat.redis;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Lease;
import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.LeaseRenewal;
import io.lettuce.core.RedisFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease half of the store: each operation is one Lua script that reads the lease hash,
 * compares holder and token, judges expiry against the server's {@code TIME} and writes, in one
 * atomic step. The fencing counter is a hash next to the lease that never expires; each token is
 * the greater of the last one plus one and the store's time in microseconds, so tokens issued
 * after a data loss exceed every token issued before it. It also keeps the longest TTL ever
 * granted for the name, which bounds how long an unreadable lease is held. The epoch marker
 * turns a data loss, a restart or a failover of the server into a quarantine during which
 * nothing is acquired (see {@link RedisStore}); its length is the longest TTL granted under the
 * marker, or this store's bound when that is longer: its {@code maxLeaseTtl}, or the longest TTL
 * the scripts ever told it was granted, which it remembers for when the marker itself is lost.
 */
final class LeaseOps {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseOps.class);
  /** The most leases one batch script call renews (it blocks the server for about a millisecond). */
  private static final int CHUNK = 500;

  private final Context ctx;
  private final Duration maxTtl;
  private final boolean quarantine;
  /** The longest TTL granted that a script answered, in microseconds; at least maxTtl's. */
  private final AtomicLong bound;
  private final AtomicLong quarantineLogged = new AtomicLong();

  LeaseOps(Context ctx, Duration maxTtl, boolean quarantine) {
    this.ctx = ctx;
    this.maxTtl = maxTtl;
    this.quarantine = quarantine;
    this.bound = new AtomicLong(micros(maxTtl));
  }

  /** The quarantine this store asks for when a script starts one ("0" for the tests' stores). */
  String bound() {
    return quarantine ? Long.toString(bound.get()) : "0";
  }

  /** Remembers the longest TTL granted that a script answered (a number it wrote itself). */
  private void learn(Object longest) {
    long micros = Long.parseLong((String) longest);
    if (micros > bound.get()) {
      bound.accumulateAndGet(micros, Math::max);
    }
  }

  Optional<Lease> tryAcquire(String name, String holder, Duration ttl) {
    Checks.id("name", name);
    Checks.id("holder", holder);
    checkTtl(ttl);
    String op = "tryAcquire(" + name + ")";
    Keys k = ctx.keys();
    // a cluster keeps the registry in another slot: listed before the script, never unlisted
    RedisFuture<Long> listed = ctx.link().cluster()
        ? ctx.link().writeCommands().sadd(k.leases(), name) : null;
    String[] keys = ctx.link().cluster()
        ? new String[] {k.lease(name), k.fence(name), k.epoch(name)}
        : new String[] {k.lease(name), k.fence(name), k.epoch(name), k.leases()};
    RedisLink.Written<List<Object>> written = ctx.link().write(Script.ACQUIRE, op, keys,
        ctx.offsetMillis(), holder, Long.toString(micros(ttl)), bound(), name);
    List<Object> answer = written.value();
    if (listed != null) {
      ctx.link().await(listed, op);
    }
    learn(answer.get(answer.size() - 1));
    switch ((String) answer.get(0)) {
      case "ok" -> {
        Lease lease = Records.lease(name, holder, answer);
        unacknowledged(lease, op, written.acknowledged());
        ctx.problems().repaired(ctx.keys().lease(name));
        return Optional.of(lease);
      }
      case "quarantine" -> {
        long until = Long.parseLong((String) answer.get(1));
        if (quarantineLogged.getAndSet(until) != until) {
          LOG.warn("{}: the epoch marker was missing or written by another server process (a"
              + " first start, lost data, a restart or a failover of Redis): no lease is handed"
              + " out until {}", ctx.describe(), Records.instant(until));
        }
        return Optional.empty();
      }
      case "bad" -> {
        reportBad(name);
        return Optional.empty();
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  Optional<Lease> renew(String name, String holder, long token, Duration ttl) {
    Checks.id("name", name);
    Checks.id("holder", holder);
    checkTtl(ttl);
    String op = "renew(" + name + ")";
    RedisLink.Written<String> written = ctx.link().write(Script.RENEW, op,
        new String[] {ctx.keys().lease(name), ctx.keys().epoch(name), ctx.keys().fence(name)},
        ctx.offsetMillis(), holder, Long.toString(token), Long.toString(micros(ttl)), bound());
    String answer = written.value();
    return switch (answer) {
      case "lost" -> Optional.empty();
      case "bad" -> {
        reportBad(name);
        yield Optional.empty();
      }
      default -> {
        ctx.link().replicas().check(ctx.describe(), op, written.acknowledged());
        yield renewed(name, holder, token, ttl, answer);
      }
    };
  }

  /**
   * An acquisition the primary applied but too few replicas acknowledged: the caller never acts
   * on it, so it is given back at once (a compare-and-delete on its token, not waited for) instead
   * of blocking the name for a TTL, and the call fails. If giving it back fails too, the lease
   * stays held on the primary by a holder that does not know it until it expires: safe, only late.
   */
  private void unacknowledged(Lease lease, String op, long acknowledged) {
    Replicas replicas = ctx.link().replicas();
    if (acknowledged >= replicas.count()) {
      return;
    }
    String outcome;
    try {
      ctx.link().script(Script.RELEASE, op, releaseKeys(lease.name()), ctx.offsetMillis(),
          lease.holder(), Long.toString(lease.token()), bound(), lease.name());
      outcome = "given back";
    } catch (RuntimeException e) {
      outcome = "not given back (" + e.getMessage() + "), held unused until it expires";
    }
    throw new HeartbeatStoreException(ctx.describe(), op, replicas.shortfall(acknowledged)
        + "; the lease (token " + lease.token() + ") was " + outcome);
  }

  /**
   * Renews in one flush: one {@code renew_many.lua} call per slot (on a single server, per chunk
   * of {@value #CHUNK}), each renewing its leases in order inside the script.
   */
  List<Optional<Lease>> renewAll(List<LeaseRenewal> renewals) {
    renewals.forEach(r -> checkTtl(r.ttl()));
    if (renewals.isEmpty()) {
      return List.of();
    }
    List<List<Integer>> calls = calls(renewals);
    RedisLink.Batch<List<Object>> batch = ctx.link().writeBatch("renewAll", c -> {
      List<RedisFuture<List<Object>>> futures = new ArrayList<>(calls.size());
      for (List<Integer> call : calls) {
        futures.add(ctx.link().evalsha(c, Script.RENEW_MANY, manyKeys(renewals, call),
            manyArgs(renewals, call)));
      }
      return futures;
    });
    List<RedisLink.Result<List<Object>>> answers = batch.results();
    long acknowledged = batch.acknowledged();
    List<Optional<Lease>> out = new ArrayList<>(java.util.Collections.nCopies(renewals.size(),
        Optional.<Lease>empty()));
    for (int c = 0; c < calls.size(); c++) {
      List<Integer> call = calls.get(c);
      List<Object> answer;
      if (answers.get(c).noScript()) {
        RedisLink.Written<List<Object>> again = ctx.link().writeLoading(Script.RENEW_MANY,
            "renewAll", manyKeys(renewals, call), manyArgs(renewals, call));
        answer = again.value();
        acknowledged = Math.min(acknowledged, again.acknowledged());
      } else {
        answer = answers.get(c).value();
      }
      long now = Long.parseLong((String) answer.get(0));
      String entries = (String) answer.get(1);
      learn(answer.get(2));
      int from = 0;
      for (int i = 0; i < call.size(); i++) {
        int end = entries.indexOf(';', from);
        LeaseRenewal r = renewals.get(call.get(i));
        out.set(call.get(i), renewedOne(r, now, entries, from, end));
        from = end + 1;
      }
    }
    if (out.stream().anyMatch(Optional::isPresent)) {
      ctx.link().replicas().check(ctx.describe(), "renewAll", acknowledged);
    }
    return out;
  }

  /** The indices of each script call: grouped by slot in a cluster, in chunks, order kept. */
  private List<List<Integer>> calls(List<LeaseRenewal> renewals) {
    Map<Integer, List<Integer>> bySlot = new java.util.LinkedHashMap<>();
    for (int i = 0; i < renewals.size(); i++) {
      int slot = ctx.link().cluster()
          ? io.lettuce.core.cluster.SlotHash.getSlot(ctx.keys().lease(renewals.get(i).name())) : 0;
      bySlot.computeIfAbsent(slot, k -> new ArrayList<>()).add(i);
    }
    List<List<Integer>> calls = new ArrayList<>();
    for (List<Integer> group : bySlot.values()) {
      for (int from = 0; from < group.size(); from += CHUNK) {
        calls.add(group.subList(from, Math.min(group.size(), from + CHUNK)));
      }
    }
    return calls;
  }

  private String[] manyKeys(List<LeaseRenewal> renewals, List<Integer> call) {
    String[] keys = new String[call.size() * 2 + 1];
    keys[0] = ctx.keys().epoch(renewals.get(call.get(0)).name());
    for (int i = 0; i < call.size(); i++) {
      String name = renewals.get(call.get(i)).name();
      keys[2 * i + 1] = ctx.keys().lease(name);
      keys[2 * i + 2] = ctx.keys().fence(name);
    }
    return keys;
  }

  private String[] manyArgs(List<LeaseRenewal> renewals, List<Integer> call) {
    String[] args = new String[2 + call.size() * 3];
    args[0] = ctx.offsetMillis();
    args[1] = bound();
    Duration lastTtl = null;
    String ttl = null;
    for (int i = 0; i < call.size(); i++) {
      LeaseRenewal r = renewals.get(call.get(i));
      if (!r.ttl().equals(lastTtl)) { // usually one TTL for all
        lastTtl = r.ttl();
        ttl = Long.toString(micros(lastTtl));
      }
      args[2 + i * 3] = r.holder();
      args[3 + i * 3] = Long.toString(r.token());
      args[4 + i * 3] = ttl;
    }
    return args;
  }

  /**
   * One entry of {@code renew_many.lua}'s answer, {@code entries[from, end)}: {@code lost},
   * {@code bad}, or {@code acquired,transitions}.
   */
  private Optional<Lease> renewedOne(LeaseRenewal r, long now, String entries, int from, int end) {
    if (entries.startsWith("lost", from)) {
      return Optional.empty();
    }
    if (entries.startsWith("bad", from)) {
      reportBad(r.name());
      return Optional.empty();
    }
    int comma = entries.indexOf(',', from);
    try {
      return Optional.of(new Lease(r.name(), r.holder(), r.token(),
          Records.instant(Long.parseLong(entries, from, comma, 10)), Records.instant(now),
          Records.instant(now + micros(r.ttl())), Long.parseLong(entries, comma + 1, end, 10)));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      reportBad(r.name()); // acquired or transitions is not a number: the script left that to us
      return Optional.empty();
    }
  }

  /** Lease, epoch and, on a single server, the registry, which a release leaves. */
  private String[] releaseKeys(String name) {
    Keys k = ctx.keys();
    return ctx.link().cluster() ? new String[] {k.lease(name), k.epoch(name)}
        : new String[] {k.lease(name), k.epoch(name), k.leases()};
  }

  /** A renewal answered {@code acquired,now,transitions,longest}: held until now + ttl. */
  private Optional<Lease> renewed(String name, String holder, long token, Duration ttl,
      String answer) {
    int first = answer.indexOf(',');
    int second = answer.indexOf(',', first + 1);
    int third = answer.indexOf(',', second + 1);
    long now = Long.parseLong(answer, first + 1, second, 10);
    long longest = Long.parseLong(answer, third + 1, answer.length(), 10);
    if (longest > bound.get()) {
      bound.accumulateAndGet(longest, Math::max);
    }
    return Optional.of(new Lease(name, holder, token,
        Records.instant(Long.parseLong(answer, 0, first, 10)), Records.instant(now),
        Records.instant(now + micros(ttl)), Long.parseLong(answer, second + 1, third, 10)));
  }

  boolean release(String name, String holder, long token) {
    Checks.id("name", name);
    Checks.id("holder", holder);
    String op = "release(" + name + ")";
    RedisLink.Written<List<Object>> written = ctx.link().write(Script.RELEASE, op,
        releaseKeys(name), ctx.offsetMillis(), holder, Long.toString(token), bound(), name);
    List<Object> answer = written.value();
    if (written.acknowledged() < ctx.link().replicas().count()) {
      // not an error: a failover that misses it shows the lease held until it expires
      LOG.debug("{}: {} {}", ctx.describe(), op,
          ctx.link().replicas().shortfall(written.acknowledged()));
    }
    if ("bad".equals(answer.get(0))) {
      reportBad(name);
    }
    return "ok".equals(answer.get(0));
  }

  Optional<Lease> lease(String name) {
    Checks.id("name", name);
    String key = ctx.keys().lease(name);
    return parse(name, ctx.link().await(ctx.link().commands().hgetall(key), "lease(" + name + ")"));
  }

  List<Lease> leases() {
    List<String> names = ctx.members(ctx.keys().leases(), "leases()");
    List<Map<String, String>> hashes =
        ctx.hashes(names.stream().map(ctx.keys()::lease).toList(), "leases()");
    List<Lease> out = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      parse(names.get(i), hashes.get(i)).ifPresent(out::add);
    }
    return out;
  }

  private Optional<Lease> parse(String name, Map<String, String> hash) {
    if (hash.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Records.lease(name, hash));
    } catch (Records.Unreadable e) {
      String key = ctx.keys().lease(name);
      ctx.problems().report(key, e.getMessage());
      if (!hash.containsKey("noticed")) { // the hold runs from the first sight, a read's too
        ctx.link().script(Script.NOTICE, "lease(" + name + ")", new String[] {key},
            ctx.offsetMillis());
      }
      return Optional.empty();
    }
  }

  private void reportBad(String name) {
    ctx.problems().report(ctx.keys().lease(name), "lease has missing or malformed fields");
  }

  private void checkTtl(Duration ttl) {
    Checks.positive("ttl", ttl);
    if (ttl.compareTo(maxTtl) > 0) {
      throw new IllegalArgumentException("ttl must be at most the store's maxLeaseTtl " + maxTtl
          + " (the quarantine after a data loss), got " + ttl);
    }
  }

  private static long micros(Duration d) {
    return Math.max(1, d.toNanos() / 1000);
  }
}
