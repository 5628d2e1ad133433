package dev.heartbeat.spi;

/**
 * Word from a store that a queue may have a task to claim, so that an idle worker claims at once
 * instead of at its next poll: PostgreSQL {@code LISTEN/NOTIFY}, Redis pub/sub, the memory store.
 * Reached through {@link TaskStore#signals()}; owned by the store, it lives until the store
 * closes.
 *
 * <h2>What a store promises (proved by {@code heartbeat-tck}'s {@code TaskSignalsContract})</h2>
 * <ul>
 *   <li>A queue is signalled after a write that leaves one of its tasks in {@code INBOX} has
 *       committed: a submit of a new task, a {@link TaskStore#retry retry}, and an
 *       {@link TaskStore#end end} back to {@code INBOX} (a release or a failure to be retried,
 *       whenever it is due).</li>
 *   <li>Once {@link #subscribe} returns, the listener hears every later signal of its queue while
 *       the store's connection holds, and never a signal of another queue.</li>
 *   <li>One signal per such write, but for writes of one transaction, which may arrive as one.
 *       Best effort beyond that: while a connection drops and is made again, a signal may be
 *       lost or come twice. A worker still polls as its safety net;
 *       signals only make it faster.</li>
 * </ul>
 *
 * <p>A listener is called on a thread of the store's and must not block; it must be thread-safe.
 * An exception it throws is reported and does not stop other listeners or later signals.
 */
public interface TaskSignals {
  /**
   * Starts delivering the signals of {@code queue} to {@code listener}; returns when the store
   * listens, so that a write after it is heard.
   *
   * @param queue the queue's name
   * @param listener called once per signal (or for several at once)
   * @return the subscription, to close when done
   * @throws IllegalArgumentException when {@code queue} is not a valid queue name, or
   *     {@code listener} is null
   * @throws IllegalStateException when the store holds as many subscriptions as it keeps
   * @throws dev.heartbeat.HeartbeatStoreException when the store cannot listen now
   */
  Subscription subscribe(String queue, Runnable listener);

  /** One listener's subscription to one queue. */
  interface Subscription extends AutoCloseable {
    /** Stops delivery to this listener; it hears nothing after this returns. Idempotent. */
    @Override
    void close();
  }
}
