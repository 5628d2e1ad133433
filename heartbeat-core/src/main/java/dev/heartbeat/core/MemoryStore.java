package dev.heartbeat.core;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.Lease;
import dev.heartbeat.ProgressEvent;
import dev.heartbeat.spi.AgentChanges;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.ChangeCursor;
import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.LeaseRules;
import dev.heartbeat.spi.Retention;
import dev.heartbeat.spi.StoreProblem;
import dev.heartbeat.spi.StoreProblems;
import dev.heartbeat.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The in-memory store ({@code memory:}), the reference implementation of the store contract:
 * everything in maps behind one {@link ReentrantLock}, expiry on an injectable clock. It lives
 * and dies with its process, so it suits tests, demos and several {@code Heartbeats} instances of
 * one JVM sharing one store. It keeps tasks too ({@link #tasks()}), at most 100,000 per queue.
 */
public final class MemoryStore implements HeartbeatStore {
  /** Default history kept per agent. */
  public static final int DEFAULT_HISTORY_LIMIT = 1000;

  private final InstantSource clock;
  private final int historyLimit;
  private final StoreProblems problems;
  private final ReentrantLock lock = new ReentrantLock();
  private final TreeMap<String, Heartbeat> latest = new TreeMap<>();
  private final Map<String, ArrayDeque<Heartbeat>> history = new HashMap<>();
  private final Map<String, ArrayDeque<ProgressEvent>> events = new HashMap<>();
  private final TreeMap<String, Lease> leases = new TreeMap<>();
  // name -> {token, transitions, longest ttl granted in ns}
  private final Map<String, long[]> counters = new HashMap<>();
  private final Map<String, Instant> damaged = new HashMap<>(); // key -> noticed at
  private final MemoryTaskStore tasks;
  /** The change index of the incremental read; lock held. */
  private final MemoryChanges changes = new MemoryChanges();

  /** A store on the system clock with the default history limit. */
  public MemoryStore() {
    this(InstantSource.system(), DEFAULT_HISTORY_LIMIT);
  }

  /**
   * A store on {@code clock}, keeping at most {@code historyLimit} beats and events per agent.
   *
   * @param clock the clock
   * @param historyLimit how many beats and events to keep per agent, at least 1
   * @throws IllegalArgumentException when the limit is below 1 or the clock is null
   */
  public MemoryStore(InstantSource clock, int historyLimit) {
    this(clock, historyLimit, MemoryTaskStore.DEFAULT_MAX_TASKS);
  }

  /** Like {@link #MemoryStore(InstantSource, int)}, holding at most {@code maxTasks} per queue. */
  MemoryStore(InstantSource clock, int historyLimit, int maxTasks) {
    this.clock = Checks.notNull("clock", clock);
    this.historyLimit = (int) Checks.atLeast("historyLimit", historyLimit, 1);
    this.problems = new StoreProblems(describe(), clock);
    this.tasks = new MemoryTaskStore(describe(), clock::instant, maxTasks);
  }

  @Override
  public String describe() {
    return "memory:";
  }

  // ------------------------------------------------------------------ heartbeats

  @Override
  public Heartbeat register(Beat first) {
    return locked(() -> {
      Heartbeat previous = readAgent(first.agentId());
      if (previous != null && previous.incarnation().equals(first.incarnation())
          && previous.sequence() >= first.sequence()) {
        return previous; // a late registration: the newer state stays
      }
      damaged.remove(agentKey(first.agentId()));
      problems.repaired(agentKey(first.agentId()));
      return store(first, previous);
    });
  }

  @Override
  public Optional<Heartbeat> record(Beat beat) {
    return locked(() -> recordKnown(beat));
  }

  @Override
  public List<Optional<Heartbeat>> recordAll(List<Beat> beats) {
    return locked(() -> {
      List<Optional<Heartbeat>> out = new ArrayList<>(beats.size());
      for (Beat beat : beats) {
        out.add(recordKnown(beat));
      }
      return out;
    });
  }

  /**
   * Records a beat of an agent the store knows (and can read); empty otherwise. A stale beat
   * changes nothing and gets the stored state back. Lock held.
   */
  private Optional<Heartbeat> recordKnown(Beat beat) {
    Heartbeat previous = readAgent(beat.agentId());
    if (previous == null) {
      return Optional.empty();
    }
    if (!previous.incarnation().equals(beat.incarnation())
        || previous.sequence() >= beat.sequence() || previous.status() == AgentStatus.LEFT) {
      return Optional.of(previous);
    }
    return Optional.of(store(beat, previous));
  }

  private Heartbeat store(Beat beat, Heartbeat previous) {
    Instant now = clock.instant();
    boolean sameRun = previous != null && previous.incarnation().equals(beat.incarnation());
    Optional<Instant> progressAt = beat.newProgress() ? Optional.of(now)
        : sameRun ? previous.progressAt() : Optional.empty();
    Heartbeat stored = new Heartbeat(beat.agentId(), beat.incarnation(), beat.sequence(),
        beat.taskId(), beat.status(), beat.cpu(), beat.progress(), progressAt, now,
        beat.interval());
    latest.put(beat.agentId(), stored);
    changes.changed(beat.agentId());
    bounded(history.computeIfAbsent(beat.agentId(), k -> new ArrayDeque<>()), stored);
    if (beat.newProgress()) {
      bounded(events.computeIfAbsent(beat.agentId(), k -> new ArrayDeque<>()),
          new ProgressEvent(beat.agentId(), beat.incarnation(), beat.sequence(),
              beat.taskId(), beat.progress(), now));
    }
    return stored;
  }

  private <T> void bounded(ArrayDeque<T> deque, T element) {
    deque.addFirst(element);
    while (deque.size() > historyLimit) {
      deque.removeLast();
    }
  }

  @Override
  public Optional<Heartbeat> agent(String agentId) {
    return locked(() -> Optional.ofNullable(readAgent(agentId)));
  }

  @Override
  public List<Heartbeat> agents() {
    return locked(() -> {
      List<Heartbeat> out = new ArrayList<>(latest.size());
      for (String id : latest.keySet()) {
        Heartbeat h = readAgent(id);
        if (h != null) {
          out.add(h);
        }
      }
      return out;
    });
  }

  /** Every agent changed after the cursor's change number ({@link MemoryChanges}), locked. */
  @Override
  public AgentChanges agentsChangedSince(ChangeCursor cursor) {
    Checks.notNull("cursor", cursor);
    return locked(() -> changes.since(cursor, latest.keySet(), this::readAgent, this::agents));
  }

  @Override
  public List<Heartbeat> history(String agentId, int limit) {
    return locked(() -> newest(history.get(agentId), limit));
  }

  @Override
  public List<ProgressEvent> events(String agentId, int limit) {
    return locked(() -> newest(events.get(agentId), limit));
  }

  private static <T> List<T> newest(ArrayDeque<T> deque, int limit) {
    if (deque == null) {
      return List.of();
    }
    return deque.stream().limit(Math.max(0, limit)).toList();
  }

  @Override
  public long prune(Retention retention) {
    return locked(() -> {
      Instant cutoff = clock.instant().minus(retention.maxAge());
      long removed = 0;
      for (ArrayDeque<Heartbeat> deque : history.values()) {
        removed += prune(deque, retention.keepLast(), h -> h.at().isBefore(cutoff));
      }
      for (ArrayDeque<ProgressEvent> deque : events.values()) {
        removed += prune(deque, retention.keepLast(), e -> e.at().isBefore(cutoff));
      }
      return removed;
    });
  }

  private static <T> long prune(ArrayDeque<T> deque, int keepLast,
      java.util.function.Predicate<T> old) {
    long removed = 0;
    int index = 0;
    for (Iterator<T> it = deque.iterator(); it.hasNext(); index++) {
      T element = it.next();
      if (index >= keepLast || old.test(element)) {
        it.remove();
        removed++;
      }
    }
    return removed;
  }

  @Override
  public boolean forget(String agentId) {
    Checks.id("agentId", agentId);
    return locked(() -> {
      boolean known = latest.remove(agentId) != null;
      known |= damaged.remove(agentKey(agentId)) != null;
      if (known) {
        changes.forgotten(agentId);
      }
      history.remove(agentId);
      events.remove(agentId);
      problems.repaired(agentKey(agentId));
      return known;
    });
  }

  private Heartbeat readAgent(String agentId) {
    if (damaged.containsKey(agentKey(agentId))) {
      problems.report(agentKey(agentId), "damaged record");
      return null;
    }
    return latest.get(agentId);
  }

  // ------------------------------------------------------------------ leases

  @Override
  public Optional<Lease> tryAcquire(String name, String holder, Duration ttl) {
    Checks.id("name", name);
    Checks.id("holder", holder);
    Checks.positive("ttl", ttl);
    return locked(() -> {
      Instant now = clock.instant();
      Lease current = readLease(name);
      if (current != null && !current.expiredAt(now)) {
        return Optional.empty();
      }
      long[] counter = counters.computeIfAbsent(name, k -> new long[3]);
      Instant noticed = damaged.get(leaseKey(name));
      Duration hold = LeaseRules.unreadableHold(ttl, Duration.ofNanos(counter[2]));
      if (noticed != null && now.isBefore(noticed.plus(hold))) {
        return Optional.empty(); // unreadable: its holder may still act until it fails to renew
      }
      counter[0]++;
      counter[1]++;
      counter[2] = Math.max(counter[2], ttl.toNanos());
      damaged.remove(leaseKey(name));
      problems.repaired(leaseKey(name));
      Lease lease = new Lease(name, holder, counter[0], now, now, now.plus(ttl), counter[1]);
      leases.put(name, lease);
      return Optional.of(lease);
    });
  }

  @Override
  public Optional<Lease> renew(String name, String holder, long token, Duration ttl) {
    Checks.positive("ttl", ttl);
    return locked(() -> {
      Instant now = clock.instant();
      Lease current = readLease(name);
      if (!heldBy(current, holder, token) || current.expiredAt(now)) {
        return Optional.empty();
      }
      Lease renewed = new Lease(name, holder, token, current.acquiredAt(), now, now.plus(ttl),
          current.transitions());
      long[] counter = counters.get(name);
      counter[2] = Math.max(counter[2], ttl.toNanos());
      leases.put(name, renewed);
      return Optional.of(renewed);
    });
  }

  @Override
  public boolean release(String name, String holder, long token) {
    return locked(() -> {
      if (!heldBy(readLease(name), holder, token)) {
        return false;
      }
      leases.remove(name);
      return true;
    });
  }

  private static boolean heldBy(Lease lease, String holder, long token) {
    return lease != null && lease.holder().equals(holder) && lease.token() == token;
  }

  @Override
  public Optional<Lease> lease(String name) {
    return locked(() -> Optional.ofNullable(readLease(name)));
  }

  @Override
  public List<Lease> leases() {
    return locked(() -> {
      List<Lease> out = new ArrayList<>();
      for (String name : leases.keySet()) {
        Lease lease = readLease(name);
        if (lease != null) {
          out.add(lease);
        }
      }
      return out;
    });
  }

  private Lease readLease(String name) {
    if (damaged.containsKey(leaseKey(name))) {
      problems.report(leaseKey(name), "damaged record");
      return null;
    }
    return leases.get(name);
  }

  // ------------------------------------------------------------------ housekeeping

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public Optional<TaskStore> tasks() {
    return Optional.of(tasks);
  }

  @Override
  public List<StoreProblem> problems() {
    return problems.list();
  }

  @Override
  public void close() {
    // nothing to release
  }

  /**
   * Makes a record unreadable, as a torn file or a bad row would be elsewhere; for the contract
   * tests of "report and skip". A later register repairs it.
   */
  void damageAgent(String agentId) {
    locked(() -> damaged.put(agentKey(agentId), clock.instant()));
  }

  /** Like {@link #damageAgent} for a lease; its fencing counter is kept. */
  void damageLease(String name) {
    locked(() -> damaged.put(leaseKey(name), clock.instant()));
  }

  private static String agentKey(String id) {
    return "agent/" + id;
  }

  private static String leaseKey(String name) {
    return "lease/" + name;
  }

  private <T> T locked(Supplier<T> body) {
    lock.lock();
    try {
      return body.get();
    } finally {
      lock.unlock();
    }
  }
}
