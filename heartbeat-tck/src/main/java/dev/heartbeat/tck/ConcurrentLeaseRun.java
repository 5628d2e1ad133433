package dev.heartbeat.tck;

import dev.heartbeat.Lease;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.LeaseRenewal;
import dev.heartbeat.tck.LeaseCall.Answer;
import dev.heartbeat.tck.LeaseCall.Kind;
import dev.heartbeat.tck.LeaseCall.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays a {@link Scenario} against a store from several threads at once and records the history.
 * The scenario is played in rounds: every thread's steps are cut into as many consecutive parts
 * as there are rounds; in each round the threads start together at a barrier and run their part,
 * and only once all are done does the driver move the {@link ManualTime} (a move while calls run
 * would leave the model unable to say at which instant each call was judged). Thread {@code t}
 * acts as holder {@code t % holders}, so two threads may share a holder; it renews and releases
 * with the token it last acquired for the lease (1 before it acquired any).
 */
final class ConcurrentLeaseRun {
  private static final long ROUND_TIMEOUT_SECONDS = 60;

  /** One step of a thread: a call of {@code kind} (not {@code ADVANCE}) on a lease. */
  record Step(Kind kind, int lease, int ttlSeconds) {}

  /**
   * What to play: {@code threads.get(t)} is thread t's steps, {@code advances} how far the driver
   * moves time between rounds (so there are {@code advances.size() + 1} rounds).
   */
  record Scenario(int leases, int holders, List<List<Step>> threads, List<Integer> advances) {
    int rounds() {
      return advances.size() + 1;
    }

    List<Step> part(int thread, int round) {
      List<Step> all = threads.get(thread);
      return all.subList(round * all.size() / rounds(), (round + 1) * all.size() / rounds());
    }
  }

  private final HeartbeatStore store;
  private final Scenario scenario;
  private final AtomicLong tickets = new AtomicLong();

  private ConcurrentLeaseRun(HeartbeatStore store, Scenario scenario) {
    this.store = store;
    this.scenario = scenario;
  }

  /**
   * Plays {@code scenario} on {@code store}, whose clock follows {@code time}.
   *
   * @return every call made, in the order of invocation
   * @throws AssertionError when a call threw (its exception is the cause) or a round did not end
   *     within a minute
   */
  static List<LeaseCall> play(HeartbeatStore store, ManualTime time, Scenario scenario) {
    return new ConcurrentLeaseRun(store, scenario).play(time);
  }

  private List<LeaseCall> play(ManualTime time) {
    int count = scenario.threads().size();
    List<Worker> workers = new ArrayList<>();
    for (int t = 0; t < count; t++) {
      workers.add(new Worker(t, t % scenario.holders()));
    }
    List<LeaseCall> history = new ArrayList<>();
    AtomicInteger names = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(count, r -> {
      Thread thread = new Thread(r, "lease-linearizability-" + names.getAndIncrement());
      thread.setDaemon(true);
      return thread;
    });
    try {
      for (int round = 0; round < scenario.rounds(); round++) {
        if (round > 0 && scenario.advances().get(round - 1) > 0) {
          int seconds = scenario.advances().get(round - 1);
          long invoked = tickets.incrementAndGet();
          time.advance(Duration.ofSeconds(seconds));
          history.add(new LeaseCall(-1, Request.advance(seconds), Answer.YES, invoked,
              tickets.incrementAndGet()));
        }
        playRound(pool, workers, round);
      }
    } finally {
      pool.shutdownNow();
    }
    workers.forEach(w -> history.addAll(w.calls));
    history.sort(Comparator.comparingLong(LeaseCall::invoked));
    return history;
  }

  private void playRound(ExecutorService pool, List<Worker> workers, int round) {
    CyclicBarrier start = new CyclicBarrier(workers.size());
    List<Future<?>> running = new ArrayList<>();
    for (Worker worker : workers) {
      List<Step> part = scenario.part(worker.thread, round);
      running.add(pool.submit(() -> {
        start.await(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        part.forEach(worker::call);
        return null;
      }));
    }
    try {
      for (Future<?> future : running) {
        future.get(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    } catch (ExecutionException e) {
      throw new AssertionError("a store call failed in round " + round + " of " + scenario,
          e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("round " + round + " did not end within "
          + ROUND_TIMEOUT_SECONDS + " s: " + scenario, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted in round " + round, e);
    }
  }

  /** One thread's holder, its last tokens, and the calls it made (read after its round ends). */
  private final class Worker {
    final int thread;
    final int holder;
    final long[] tokens = new long[scenario.leases()];
    final List<LeaseCall> calls = new ArrayList<>();

    Worker(int thread, int holder) {
      this.thread = thread;
      this.holder = holder;
      Arrays.fill(tokens, 1);
    }

    void call(Step step) {
      int lease = step.lease();
      String name = "l" + lease;
      String me = "h" + holder;
      Duration ttl = Duration.ofSeconds(step.ttlSeconds());
      long token = tokens[lease];
      long invoked = tickets.incrementAndGet();
      switch (step.kind()) {
        case ACQUIRE -> {
          Optional<Lease> got = store.tryAcquire(name, me, ttl);
          got.ifPresent(l -> tokens[lease] = l.token());
          record(Kind.ACQUIRE, lease, 0, step, answer(got), invoked);
        }
        case RENEW -> {
          Optional<Lease> got = store.renew(name, me, token, ttl);
          record(Kind.RENEW, lease, token, step, answer(got), invoked);
        }
        case RENEW_ALL -> renewAll(step, invoked);
        case RELEASE -> {
          boolean released = store.release(name, me, token);
          record(Kind.RELEASE, lease, token, step, released ? Answer.YES : Answer.NO, invoked);
        }
        case READ -> record(Kind.READ, lease, 0, step, answer(store.lease(name)), invoked);
        case ADVANCE -> throw new IllegalArgumentException("step must not be ADVANCE: " + step);
      }
    }

    private void renewAll(Step step, long invoked) {
      List<LeaseRenewal> batch = new ArrayList<>();
      for (int l = 0; l < tokens.length; l++) {
        batch.add(new LeaseRenewal("l" + l, "h" + holder, tokens[l],
            Duration.ofSeconds(step.ttlSeconds())));
      }
      List<Optional<Lease>> got = store.renewAll(batch);
      long returned = tickets.incrementAndGet();
      for (int l = 0; l < tokens.length; l++) {
        calls.add(new LeaseCall(thread, new Request(Kind.RENEW_ALL, l, holder, tokens[l],
            step.ttlSeconds()), answer(got.get(l)), invoked, returned));
      }
    }

    private void record(Kind kind, int lease, long token, Step step, Answer answer,
        long invoked) {
      long returned = tickets.incrementAndGet();
      calls.add(new LeaseCall(thread, new Request(kind, lease, holder, token, step.ttlSeconds()),
          answer, invoked, returned));
    }
  }

  private static Answer answer(Optional<Lease> lease) {
    return lease.map(l -> Answer.lease(holderNumber(l.holder()), l.token(),
        (int) Math.round(l.ttl().toMillis() / 1000.0))).orElse(Answer.NO);
  }

  private static int holderNumber(String holder) {
    return holder.matches("h\\d{1,3}") ? Integer.parseInt(holder.substring(1)) : -2;
  }
}
