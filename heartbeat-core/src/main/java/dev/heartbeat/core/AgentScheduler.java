package dev.heartbeat.core;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.spi.Beat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the agents of one engine on the ticker. Each round, the registered agents that are due
 * go to the store in one {@code recordAll} call; agents not yet registered (or unknown to the
 * store) register one by one. A failed beat is retried quickly, after a fifth of the interval, up
 * to {@link Backoff#QUICK_RETRIES} times in a row, then with jittered exponential backoff; a call
 * that takes longer than the agent's interval is abandoned and counted as failed, and no other
 * call of that agent is sent until it returns (the attempts in between fail at once). The store
 * answers a stale beat with what it holds: a newer beat of the same run is a success; another
 * run's state means another process holds the id, and the agent registers again. One WARN when
 * beats start failing, one INFO when they recover, however many late answers arrive in between;
 * DEBUG per beat.
 */
final class AgentScheduler implements Tickable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentScheduler.class);
  /**
   * Registrations on their way to the store at most: the agents beyond wait, due, for one to
   * return (each return wakes the ticker), so that thousands of agents started at once never
   * queue thousands of calls on a pool of a few connections.
   */
  static final int MAX_REGISTERING = 32;

  private final Engine engine;
  private final ConcurrentHashMap<String, AgentImpl> agents = new ConcurrentHashMap<>();
  private long failedAttempts; // ticker thread only
  private int registering; // ticker thread only: register calls sent that have not returned
  private boolean failing; // ticker thread only
  private volatile long outagesLogged; // WARN lines written (for tests)
  private volatile long recoveriesLogged; // INFO lines written (for tests)

  AgentScheduler(Engine engine) {
    this.engine = engine;
  }

  void add(AgentImpl agent) {
    if (agents.putIfAbsent(agent.id(), agent) != null) {
      throw new IllegalStateException("agent '" + agent.id() + "' is already running in this "
          + "Heartbeats; close it first");
    }
    engine.tickerLoop().wake();
  }

  List<AgentImpl> all() {
    return List.copyOf(agents.values());
  }

  @Override
  public long tick(long now) {
    long next = Long.MAX_VALUE;
    List<AgentImpl> due = new ArrayList<>();
    for (AgentImpl agent : agents.values()) {
      long interval = agent.config().interval().toNanos();
      if (agent.inFlight()) {
        if (now - agent.sentAt >= interval) {
          abandon(agent, now);
        } else {
          next = Math.min(next, agent.sentAt + interval);
          continue;
        }
      }
      if (now - agent.nextDue >= 0) {
        due.add(agent);
      } else {
        next = Math.min(next, agent.nextDue);
      }
    }
    if (!due.isEmpty()) {
      dispatch(due, now);
      for (AgentImpl agent : due) {
        next = Math.min(next, now + agent.config().interval().toNanos());
      }
    }
    return next;
  }

  private void dispatch(List<AgentImpl> due, long now) {
    OptionalDouble cpu = Cpu.processLoad();
    List<AgentImpl.Sent> batch = new ArrayList<>();
    for (AgentImpl agent : due) {
      HeartbeatStoreException refused = engine.calls().refusal(agent.callKind());
      if (refused != null) {
        // its abandoned call still runs: no second one beside it, however long the store hangs
        failure(agent, refused, now);
        health(true, refused);
        continue;
      }
      if (!agent.registered && registering >= MAX_REGISTERING) {
        continue; // still due: sent when a registration on its way returns
      }
      AgentImpl.Sent sent = agent.nextBeat(null, cpu);
      if (agent.registered) {
        batch.add(sent);
      } else {
        registering++;
        send(List.of(sent), now, true);
      }
    }
    if (!batch.isEmpty()) {
      send(batch, now, false);
    }
  }

  private void send(List<AgentImpl.Sent> sent, long now, boolean register) {
    List<Beat> beats = sent.stream().map(AgentImpl.Sent::beat).toList();
    String op = register ? "register(" + beats.get(0).agentId() + ")"
        : "recordAll(" + beats.size() + " beats)";
    CompletableFuture<StoreCalls.Timed<List<Optional<Heartbeat>>>> call = engine.calls().timed(op,
        () -> register ? List.of(Optional.of(engine.store().register(beats.get(0))))
            : engine.store().recordAll(beats));
    List<AgentImpl.Sent> started = new ArrayList<>();
    int[] answers = new int[sent.size()]; // the position of each started beat's answer
    for (int i = 0; i < sent.size(); i++) {
      AgentImpl.Sent s = sent.get(i);
      if (s.agent().begin(call)) { // false for an agent closed meanwhile: its answer is skipped
        s.agent().attempt++;
        s.agent().sentAt = now;
        answers[started.size()] = i;
        started.add(s);
      }
    }
    long[] attempts = started.stream().mapToLong(s -> s.agent().attempt).toArray();
    call.whenComplete((result, error) -> engine.tickerLoop().post(() -> {
      if (register) {
        registering--;
      }
      completed(started, answers, attempts, result, error);
    }));
  }

  private void completed(List<AgentImpl.Sent> sent, int[] answers, long[] attempts,
      StoreCalls.Timed<List<Optional<Heartbeat>>> result, Throwable error) {
    long now = engine.config().time().nanoTime();
    boolean anyFailed = false;
    boolean anyLive = false;
    for (int i = 0; i < sent.size(); i++) {
      AgentImpl.Sent s = sent.get(i);
      AgentImpl agent = s.agent();
      if (agent.attempt != attempts[i]) {
        continue; // abandoned earlier: a late answer is neither a failure nor a recovery
      }
      anyLive = true;
      agent.end();
      if (error != null) {
        anyFailed = true;
        failure(agent, error, now);
      } else if (result.value().get(answers[i]).isPresent()
          && agent.claimedElsewhere(s.beat(), result.value().get(answers[i]).get())) {
        agent.registered = false; // stale: another run holds the id; the last writer wins
        agent.nextDue = now;
      } else if (result.value().get(answers[i]).isPresent()) {
        // this beat, or a newer one of this run that overtook it: a success either way
        agent.succeeded(s, result.value().get(answers[i]).get(), result.latency());
        agent.nextDue = agent.sentAt + agent.config().interval().toNanos();
        LOG.debug("{}: beat {} stored", agent, s.beat().sequence());
      } else {
        agent.registered = false;
        agent.nextDue = now;
        LOG.info("{} is unknown to {}; registering it again", agent, engine.store().describe());
      }
    }
    if (anyLive) {
      health(anyFailed, error);
    }
    engine.tickerLoop().wake();
  }

  private void abandon(AgentImpl agent, long now) {
    agent.attempt++;
    engine.calls().abandoned(agent.callKind(), agent.end());
    Duration interval = agent.config().interval();
    failure(agent, engine.calls().wrap(agent.callKind(),
        new TimeoutException("no answer within " + interval)), now);
    health(true, null);
  }

  private void failure(AgentImpl agent, Throwable error, long now) {
    agent.failed(error);
    long failures = agent.outcome().beats().consecutiveFailures();
    agent.nextDue = now + Backoff.beatRetryNanos(agent.config().interval(),
        agent.config().maxBackoff(), failures);
    failedAttempts++;
  }

  private void health(boolean anyFailed, Throwable error) {
    if (anyFailed && !failing) {
      failing = true;
      outagesLogged++;
      LOG.warn("beats to {} are failing; retrying with backoff: {}", engine.store().describe(),
          error == null ? "timed out" : error.getMessage());
    } else if (!anyFailed && failing) {
      failing = false;
      recoveriesLogged++;
      LOG.info("beats to {} recovered after {} failed attempts", engine.store().describe(),
          failedAttempts);
      failedAttempts = 0;
    }
  }

  /** How many times "beats are failing" was logged (for tests). */
  long outagesLogged() {
    return outagesLogged;
  }

  /** How many times "beats recovered" was logged (for tests). */
  long recoveriesLogged() {
    return recoveriesLogged;
  }

  /**
   * Closes agents: waits for their calls in flight, then records them as left in one call.
   * Bounded by the close timeout of real time.
   */
  void leave(List<AgentImpl> closing) {
    Duration timeout = engine.config().closeTimeout();
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Beat> left = new ArrayList<>();
    for (AgentImpl agent : closing) {
      Optional<CompletableFuture<?>> pending = agent.markClosed();
      if (pending.isEmpty()) {
        continue;
      }
      agents.remove(agent.id(), agent);
      StoreCalls.awaitQuietly(pending.get(), deadline);
      if (agent.registered) {
        left.add(agent.nextBeat(AgentStatus.LEFT, Cpu.processLoad()).beat());
      }
    }
    if (left.isEmpty()) {
      return;
    }
    CompletableFuture<List<Optional<Heartbeat>>> call =
        engine.calls().async("leave(" + left.size() + " agents)",
            () -> engine.store().recordAll(left));
    if (!StoreCalls.awaitQuietly(call, deadline)) {
      LOG.warn("could not record {} agents as left in {} within {}: they will look silent, "
          + "not left", left.size(), engine.store().describe(), timeout);
    } else {
      LOG.info("{} agent(s) left: {}", left.size(), left.stream().map(Beat::agentId).toList());
    }
  }
}
