package dev.heartbeat;

import dev.heartbeat.spi.HeartbeatStore;

/**
 * The entry point: one store, one background ticker (a daemon platform thread of its own, so that
 * store calls on virtual threads cannot starve it), the agents and elections that run on it.
 *
 * <pre>{@code
 * try (Heartbeats hb = Heartbeats.open("file:/var/lib/heartbeat")) {
 *   HeartbeatAgent agent = hb.agent("worker-7").interval(Duration.ofSeconds(5)).start();
 *   Leadership lead = hb.leases().elect("orchestrator", listener);
 *   hb.detector().onChange(change -> recoverWorkOf(change));   // SUSPECT, DEAD, STALLED, ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} resigns every leadership (releasing its lease), records every
 * agent as left, stops the ticker, and closes the store if this instance opened it.
 */
public interface Heartbeats extends AutoCloseable {

  /**
   * Opens the store named by {@code uri} ({@code memory:}, {@code file:/dir}, {@code jdbc:...},
   * {@code redis://host:port}) with default settings. The store is closed with this instance.
   *
   * @param uri the URI
   * @return the running instance, which the caller closes
   * @throws IllegalArgumentException when no store on the class path opens that scheme
   */
  static Heartbeats open(String uri) {
    return builder().uri(uri).build();
  }

  /**
   * Uses a store built by the caller, with default settings. The caller closes the store.
   *
   * @param store the store
   * @return the running instance, which the caller closes
   */
  static Heartbeats using(HeartbeatStore store) {
    return builder().store(store).build();
  }

  /**
   * Settings beyond the defaults.
   *
   * @return a new builder
   */
  static HeartbeatsBuilder builder() {
    return new HeartbeatsBuilder();
  }

  /**
   * Opens a store by URI through {@link java.util.ServiceLoader}, without an engine: for tools
   * that only read.
   *
   * @param uri the URI
   * @return the open store, which the caller closes
   */
  static HeartbeatStore openStore(String uri) {
    return Providers.openStore(Providers.parse(uri), false);
  }

  /**
   * Opens a store by URI for reading only: creates nothing and writes nothing on open (no
   * directory, table or key). For tools such as {@code heartbeat status}, so that a typo in a
   * path or a database name is an error, not a new empty store.
   *
   * @param uri the URI
   * @return the open store, which the caller closes
   * @throws StoreNotFoundException when there is no store at the URI
   * @throws IllegalArgumentException when no store on the class path opens that scheme, or the
   *     URI is malformed
   */
  static HeartbeatStore openExistingStore(String uri) {
    return Providers.openStore(Providers.parse(uri), true);
  }

  /**
   * Prepares an agent with the default {@link AgentConfig}.
   *
   * @param id the agent's id
   * @return a builder of the agent, to configure and start it
   * @throws IllegalArgumentException when the id is blank, too long or has control characters
   */
  HeartbeatAgent.Builder agent(String id);

  /**
   * The task queue of this name in the store. Each call on it is one store call, bounded by the
   * call timeout; the queue itself holds no state and needs no closing.
   *
   * @param queue the queue's name
   * @return the queue
   * @throws IllegalArgumentException when the name is blank, too long or has control characters
   * @throws IllegalStateException when the store keeps no tasks (its
   *     {@link HeartbeatStore#tasks()} is empty; the message names the store), or this instance is
   *     closed
   */
  TaskQueue tasks(String queue);

  /**
   * Prepares a task worker: an agent of this id that claims tasks of one queue and runs them
   * (see {@link TaskWorker}). Closing this instance closes its workers, releasing their running
   * attempts at once.
   *
   * @param id the worker's agent id
   * @return a builder of the worker, to configure and start it
   * @throws IllegalArgumentException when the id is blank, too long or has control characters
   * @throws IllegalStateException when the store keeps no tasks (the message names the store), or
   *     this instance is closed
   */
  TaskWorker.Builder worker(String id);

  /**
   * The leases of this instance.
   *
   * @return the leases of this instance
   */
  LeaseManager leases();

  /**
   * The agents of the store with their state, read through a short-lived shared snapshot.
   * States come from the {@link #detector()} when it runs.
   *
   * @return the agents of the store with their state, read through a short-lived shared snapshot
   */
  AgentRegistry registry();

  /**
   * The stall detector with {@link DetectorConfig#DEFAULTS}, started on the ticker at the first
   * call; later calls return the running detector whatever its configuration.
   *
   * @return the stall detector with {@link DetectorConfig#DEFAULTS}, started on the ticker at the
   *     first call; later calls return the running detector whatever its configuration
   * @throws IllegalStateException when this instance is closed
   */
  StallDetector detector();

  /**
   * The stall detector with {@code config}, started on the ticker at the first call. There is one
   * detector per instance (one poll of the store for all listeners).
   *
   * @param config the configuration
   * @return the stall detector with {@code config}, started on the ticker at the first call
   * @throws IllegalStateException when a detector with another configuration already runs, or
   *     this instance is closed
   */
  StallDetector detector(DetectorConfig config);

  /**
   * The store.
   *
   * @return the store
   */
  HeartbeatStore store();

  /**
   * The effective settings.
   *
   * @return the effective settings
   */
  HeartbeatsConfig config();

  /**
   * How punctual the ticker is, what its bounded queues dropped, the store calls running.
   *
   * @return how punctual the ticker is, what its bounded queues dropped, the store calls running
   */
  TickerStats ticker();

  /**
   * Adds a listener told of every store call of this instance once it returned: its operation,
   * how it ended and its latency on the engine's clock (see {@link StoreCallListener}). For
   * latency histograms, such as the one {@code heartbeat-micrometer} publishes.
   *
   * @param listener the listener; quick and non-blocking, it runs on the call's thread
   * @return closing it removes the listener
   * @throws IllegalArgumentException when {@code listener} is null
   * @throws IllegalStateException when {@value #MAX_STORE_CALL_LISTENERS} listeners are
   *     registered already
   */
  StoreCallListener.Subscription onStoreCall(StoreCallListener listener);

  /** The most store call listeners registered at once. */
  int MAX_STORE_CALL_LISTENERS = 16;

  /**
   * Stops everything; bounded by {@link HeartbeatsConfig#closeTimeout()}; idempotent. Every
   * leadership stops leading and hears {@code revoked(RESIGNED)} at once; the releases and the
   * agents' leave then run in parallel under one deadline; the ticker stops last.
   */
  @Override
  void close();

  /**
   * {@link #close()} bounded by {@code timeout} instead of the configured close timeout (for a
   * shutdown that has less time). Idempotent: a second call returns at once.
   *
   * @param timeout the longest this call waits, of real time
   * @throws IllegalArgumentException when the timeout is null, zero or negative
   */
  void close(java.time.Duration timeout);
}
