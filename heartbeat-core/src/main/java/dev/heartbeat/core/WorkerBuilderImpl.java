package dev.heartbeat.core;

import dev.heartbeat.TaskHandler;
import dev.heartbeat.TaskWorker;
import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.TaskStore;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects a worker's settings; {@link #start()} validates them, starts the worker's agent and
 * then the worker.
 */
final class WorkerBuilderImpl implements TaskWorker.Builder {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerBuilderImpl.class);

  private final Engine engine;
  private final TaskStore store;
  private final String id;
  private String queue;
  private int concurrency = 1;
  private TaskHandler handler;
  private Duration interval = WorkerSettings.DEFAULT_INTERVAL;
  private Duration claimTtl = WorkerSettings.DEFAULT_CLAIM_TTL;
  private Duration pollInterval = WorkerSettings.DEFAULT_POLL_INTERVAL;
  private Duration drainTimeout = WorkerSettings.DEFAULT_DRAIN_TIMEOUT;

  WorkerBuilderImpl(Engine engine, TaskStore store, String id) {
    this.engine = engine;
    this.store = store;
    this.id = Checks.id("id", id);
  }

  @Override
  public TaskWorker.Builder queue(String queue) {
    this.queue = Checks.id("queue", queue);
    return this;
  }

  @Override
  public TaskWorker.Builder concurrency(int attempts) {
    if (attempts < 1 || attempts > WorkerSettings.MAX_CONCURRENCY) {
      throw new IllegalArgumentException("attempts must be in [1, "
          + WorkerSettings.MAX_CONCURRENCY + "], got " + attempts);
    }
    this.concurrency = attempts;
    return this;
  }

  @Override
  public TaskWorker.Builder handler(TaskHandler handler) {
    this.handler = Checks.notNull("handler", handler);
    return this;
  }

  @Override
  public TaskWorker.Builder interval(Duration interval) {
    this.interval = Checks.positive("interval", interval);
    return this;
  }

  @Override
  public TaskWorker.Builder claimTtl(Duration ttl) {
    this.claimTtl = Checks.positive("ttl", ttl);
    return this;
  }

  @Override
  public TaskWorker.Builder pollInterval(Duration interval) {
    this.pollInterval = Checks.positive("interval", interval);
    return this;
  }

  @Override
  public TaskWorker.Builder drainTimeout(Duration timeout) {
    Checks.notNull("timeout", timeout);
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
    }
    this.drainTimeout = timeout;
    return this;
  }

  @Override
  public TaskWorker start() {
    if (queue == null || handler == null) {
      throw new IllegalStateException("worker '" + id + "' needs a queue and a handler; got queue "
          + queue + ", handler " + handler);
    }
    WorkerSettings settings = new WorkerSettings(queue, concurrency, handler, interval, claimTtl,
        pollInterval, drainTimeout);
    engine.checkOpen();
    AgentImpl agent = (AgentImpl) engine.agent(id).interval(interval).start();
    TaskWorkerImpl worker = new TaskWorkerImpl(engine, store, settings, agent);
    engine.workerStarted(worker);
    worker.start();
    if (engine.isClosed()) {
      worker.close(Duration.ZERO); // close() ran meanwhile: leave nothing behind
      engine.checkOpen();
    }
    LOG.info("task worker {} claims from {} on {}: concurrency {}, interval {}, claim ttl {}, "
        + "poll {}, drain {}", id, queue, engine.store().describe(), concurrency, interval,
        claimTtl, pollInterval, drainTimeout);
    return worker;
  }
}
