package dev.heartbeat;

import java.time.Duration;

/**
 * An agent that executes tasks, from {@link Heartbeats#worker(String)}: it heartbeats like any
 * {@link HeartbeatAgent} (so the detector and {@code heartbeat status} see it and its progress),
 * claims due tasks of one queue up to its free concurrency, runs each attempt's
 * {@link TaskHandler} on its own virtual thread, and keeps its claims alive with its beats, in one
 * batch per tick.
 *
 * <p>It fences itself as a lease holder does: when a claim's local validity (measured on the
 * monotonic clock from when its last successful renewal was sent) runs out because the store
 * cannot be reached, it interrupts that attempt before the store could hand the task to another
 * worker. While its own beats fail it takes no new claims.
 *
 * <pre>{@code
 * TaskWorker worker = hb.worker("worker-7").queue("ingest").concurrency(4)
 *     .handler(ctx -> TaskResult.done(parse(ctx.payload())))
 *     .start();
 * }</pre>
 */
public interface TaskWorker extends AutoCloseable {
  /**
   * The worker's agent id.
   *
   * @return the worker's agent id
   */
  String id();

  /**
   * The worker's incarnation: a new one each time a worker of this id starts.
   *
   * @return the worker's incarnation
   */
  String incarnation();

  /**
   * What the worker has done so far.
   *
   * @return the worker's counts
   */
  WorkerStats stats();

  /**
   * Drains and stops: claims nothing more, waits up to the builder's drain timeout for running
   * attempts, then interrupts those still running and gives their tasks back
   * ({@link AttemptOutcome#RELEASED}, not a failure), then leaves like an agent. Idempotent.
   */
  @Override
  void close();

  /** Builds a worker; {@link #queue} and {@link #handler} are required. */
  interface Builder {
    /**
     * The queue to claim from.
     *
     * @param queue the queue's name
     * @return this builder
     */
    Builder queue(String queue);

    /**
     * How many attempts may run at once; default 1.
     *
     * @param attempts at least 1, at most 10 000
     * @return this builder
     */
    Builder concurrency(int attempts);

    /**
     * What runs each attempt.
     *
     * @param handler the handler
     * @return this builder
     */
    Builder handler(TaskHandler handler);

    /**
     * The worker's heartbeat interval, which is also how often it renews its claims; default 5 s.
     *
     * @param interval positive, at most a third of the claim ttl
     * @return this builder
     */
    Builder interval(Duration interval);

    /**
     * How long the store keeps a claim after each claim or renewal; default 30 s. A worker that
     * dies loses its tasks to other workers about this long after its last renewal.
     *
     * @param ttl at least three heartbeat intervals
     * @return this builder
     */
    Builder claimTtl(Duration ttl);

    /**
     * How often an idle worker looks for due tasks; default 1 s.
     *
     * @param interval positive
     * @return this builder
     */
    Builder pollInterval(Duration interval);

    /**
     * How long {@link TaskWorker#close()} waits for running attempts before it interrupts them;
     * default 30 s.
     *
     * @param timeout zero or positive
     * @return this builder
     */
    Builder drainTimeout(Duration timeout);

    /**
     * Registers the worker's agent and starts claiming.
     *
     * @return the running worker
     * @throws IllegalStateException when {@link #queue} or {@link #handler} is missing
     */
    TaskWorker start();
  }
}
