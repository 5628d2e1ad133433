package dev.heartbeat.spi;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Lease;
import dev.heartbeat.ProgressEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where heartbeats and leases live: a set of small atomic operations. All policy (timing,
 * retries, step-down, detection) lives in the engine; a store only compares, sets and reads.
 *
 * <h2>Guarantees every store gives (proved by {@code heartbeat-tck})</h2>
 * <ul>
 *   <li>Every lease write is a compare-and-set, atomic with respect to every other client of the
 *       same store, in this process or any other.</li>
 *   <li>Expiry is judged by the store's clock (the database's {@code now()}, Redis {@code TIME},
 *       the file system machine's clock), never by the caller's.</li>
 *   <li>A lease's fencing token only grows: every successful {@link #tryAcquire} returns a token
 *       greater than any token ever issued for that name, across expiry, release and deletion of
 *       the lease record.</li>
 *   <li>A beat updates the agent's latest state, appends to its bounded history and, when it
 *       carries new progress, appends a progress event: all three or none.</li>
 *   <li>A record that cannot be read is reported through {@link #problems()} and skipped; the
 *       other records still read.</li>
 *   <li>Nothing goes back in time: a beat whose incarnation differs from the stored one, whose
 *       sequence is not above the stored one, or that follows a stored {@code LEFT} of its
 *       incarnation changes nothing (see {@link #record}).</li>
 * </ul>
 *
 * <p>Expected outcomes ("the lease is taken", "the agent is unknown") are values: an empty
 * {@link Optional} or {@code false}. A store that cannot do its job (unreachable, I/O error)
 * throws {@link HeartbeatStoreException}. Implementations are thread-safe.
 */
public interface HeartbeatStore extends AutoCloseable {

  /**
   * A short description for logs and errors, such as {@code memory:} or {@code file:/var/hb}.
   *
   * @return a short description for logs and errors, such as {@code memory:} or {@code
   *     file:/var/hb}
   */
  String describe();

  // ---------------------------------------------------------------- heartbeats

  /**
   * Registers an agent, or re-registers it with a new incarnation: replaces its latest state
   * with {@code first} and appends {@code first} to its history, atomically.
   *
   * <p>A registration that arrives late changes nothing: when the stored state has the same
   * incarnation and a sequence at or above {@code first}'s, the stored state is returned as it
   * is. A different incarnation always replaces (a restarted agent, or another process that
   * claims the same id).
   *
   * @param first the first beat
   * @return the stored record, stamped with the store's time; or the newer record already stored
   * @throws HeartbeatStoreException when the store fails
   */
  Heartbeat register(Beat first);

  /**
   * Records one beat of a registered agent: latest state, history (trimmed to the store's
   * history limit) and, when {@link Beat#newProgress()}, a progress event, in one atomic step.
   *
   * <p>A beat that is not the newest changes nothing, neither latest state nor history nor
   * events: when the stored state belongs to another incarnation, has a sequence at or above
   * the beat's, or is {@code LEFT} (final for its incarnation). The store then returns the stored
   * state as it is, so the caller tells a stale beat by the incarnation and sequence it gets back.
   *
   * @param beat the beat
   * @return the stored record (this beat's, or the newer one that made it stale), or empty when
   *     the agent was never registered (or was forgotten): the caller must {@link #register} first
   * @throws HeartbeatStoreException when the store fails
   */
  Optional<Heartbeat> record(Beat beat);

  /**
   * Records many beats. The result has one element per beat, in order, each as
   * {@link #record(Beat)} would return. Stores override this to use one round trip; each beat
   * is still atomic on its own, the batch is not. Several beats of one agent in one batch are
   * applied in order, each by the rule of {@link #record}.
   *
   * @param beats the beats
   * @return per beat, in order, what {@link #record(Beat)} returns for it
   */
  default List<Optional<Heartbeat>> recordAll(List<Beat> beats) {
    List<Optional<Heartbeat>> out = new ArrayList<>(beats.size());
    for (Beat beat : beats) {
      out.add(record(beat));
    }
    return out;
  }

  /**
   * A new live feed of stored beats, when this store can push them (Redis Streams); the
   * stall detector then sees beats as they happen and polls {@link #agents()} less often. The
   * caller closes the feed.
   *
   * @return empty (the default) when the store cannot push beats
   */
  default Optional<HeartbeatFeed> feed() {
    return Optional.empty();
  }

  /**
   * The latest state of one agent, or empty when unknown or unreadable.
   *
   * @param agentId the agent's id
   * @return the latest state of one agent, or empty when unknown or unreadable
   */
  Optional<Heartbeat> agent(String agentId);

  /**
   * The latest state of every agent, ordered by agent id; unreadable records are skipped.
   *
   * @return the latest state of every agent, ordered by agent id; unreadable records are skipped
   */
  List<Heartbeat> agents();

  /**
   * The agents whose record changed since {@code cursor}: an incremental read, so that the stall
   * detector reads what changed each poll rather than every agent. The answer holds the latest
   * state of every agent registered, beating or {@code LEFT} since the cursor and the id of every
   * agent forgotten since, and the cursor to pass next time; it may hold more (a re-read safety
   * overlap), never less: a change committed after this read is in the next one, also when a
   * concurrent write stamped it before a write this read saw (a commit-order race). The cursor
   * is on the store's own clock or order, never the caller's. A store that can bound the race
   * only by a fixed overlap says so in its documentation: a write that commits later than that
   * after its stamp is then seen by the reader's next complete read (the stall detector makes one
   * every 30 polls). Forgets older than the store's retention may be pruned: a reader whose
   * cursor is older sees them by a complete read.
   *
   * <p>The default reads everything ({@link AgentChanges#all}), so a store without an index of
   * its changes stays correct; the reader then gets a complete answer each time.
   *
   * @param cursor {@link ChangeCursor#START}, or the {@link AgentChanges#next()} of this store's
   *     last answer
   * @return what changed since {@code cursor}, and the cursor to read from next
   * @throws HeartbeatStoreException when the store fails
   */
  default AgentChanges agentsChangedSince(ChangeCursor cursor) {
    Checks.notNull("cursor", cursor);
    return AgentChanges.all(agents());
  }

  /**
   * The newest {@code limit} beats of one agent, newest first.
   *
   * @param agentId the agent's id
   * @param limit the most to return
   * @return the newest {@code limit} beats of one agent, newest first
   */
  List<Heartbeat> history(String agentId, int limit);

  /**
   * The newest {@code limit} progress events of one agent, newest first.
   *
   * @param agentId the agent's id
   * @param limit the most to return
   * @return the newest {@code limit} progress events of one agent, newest first
   */
  List<ProgressEvent> events(String agentId, int limit);

  /**
   * Removes history and progress events outside {@code retention}, in small steps that never
   * block writers for long. Latest state is never pruned.
   *
   * @param retention what to keep
   * @return how many entries were removed
   */
  long prune(Retention retention);

  /**
   * Forgets an agent: removes its latest state, history and progress events, atomically where the
   * backend allows it, otherwise latest state first. A later {@link #record} of it is empty (the
   * agent must register again). For agents that left or died long ago, and for operators.
   *
   * @param agentId the agent's id
   * @return {@code true} when the store had a record of the agent (readable or not)
   * @throws HeartbeatStoreException when the store fails
   */
  boolean forget(String agentId);

  // ---------------------------------------------------------------- leases

  /**
   * Acquires {@code name} for {@code holder} if it is free, released or expired by the store's
   * clock. Not re-entrant: a lease held by the same holder is not acquired again.
   *
   * <p>A lease record that cannot be read counts as held until {@link LeaseRules#unreadableHold}
   * after the store noticed it was unreadable: the longest TTL ever granted for this name (kept
   * beside the fencing counter), or {@code ttl} when that is longer. Its holder cannot renew it, so
   * that holder steps down meanwhile, whatever TTL the acquirer asks for; then it is acquired,
   * with a token greater than any issued before, which repairs it.
   *
   * @param holder the holder's id
   * @param name the name
   * @param ttl the time to live
   * @return the new lease with a fresh fencing token, or empty when someone holds it
   */
  Optional<Lease> tryAcquire(String name, String holder, Duration ttl);

  /**
   * Extends {@code name} to expire {@code ttl} after the store's now, if it is still held by
   * {@code holder} with {@code token} and has not expired. A token below 1 matches nothing.
   *
   * @param holder the holder's id
   * @param name the name
   * @param token the fencing token
   * @param ttl the time to live
   * @return the renewed lease, or empty when it was lost
   */
  Optional<Lease> renew(String name, String holder, long token, Duration ttl);

  /**
   * Renews many leases; one element per renewal, in order, each as {@link #renew} would return.
   * Stores override this to use one round trip (or one per shard).
   *
   * @param renewals the renewals
   * @return per renewal, in order, the renewed lease or empty when it was not renewed
   */
  default List<Optional<Lease>> renewAll(List<LeaseRenewal> renewals) {
    List<Optional<Lease>> out = new ArrayList<>(renewals.size());
    for (LeaseRenewal r : renewals) {
      out.add(renew(r.name(), r.holder(), r.token(), r.ttl()));
    }
    return out;
  }

  /**
   * Releases {@code name} if it is held by {@code holder} with {@code token}. The fencing
   * counter is kept.
   *
   * @param holder the holder's id
   * @param name the name
   * @param token the fencing token
   * @return {@code true} when this call released it
   */
  boolean release(String name, String holder, long token);

  /**
   * The lease record, expired or not (check {@link Lease#expiresAt()} against
   * {@link #now()}), or empty when it was never acquired, was released, or is unreadable.
   *
   * @param name the name
   * @return the lease record, expired or not (check {@link Lease#expiresAt()} against {@link
   *     #now()}), or empty when it was never acquired, was released, or is unreadable
   */
  Optional<Lease> lease(String name);

  /**
   * Every lease currently recorded, ordered by name; unreadable records are skipped.
   *
   * @return every lease currently recorded, ordered by name; unreadable records are skipped
   */
  List<Lease> leases();

  /**
   * The longest TTL this store grants, when it has a bound (the Redis store's
   * {@code maxLeaseTtl}); the engine checks an election's TTL against it when the election starts.
   *
   * @return empty (the default) when any TTL is accepted
   */
  default Optional<Duration> maxLeaseTtl() {
    return Optional.empty();
  }

  // ---------------------------------------------------------------- housekeeping

  /**
   * The store's clock: the instant that expiry is judged against.
   *
   * @return the store's clock: the instant that expiry is judged against
   */
  java.time.Instant now();

  /**
   * Records that could not be read and were skipped, oldest first, at most a bounded number.
   * Each problem is also logged once when first seen.
   *
   * @return the records skipped, oldest first
   */
  List<StoreProblem> problems();

  /** Releases the store's resources (connections, file handles). Idempotent. */
  @Override
  void close();

  /**
   * The store's tasks, when it keeps them: a store that implements {@link TaskStore} returns
   * itself (or its task part); one that does not returns empty, and the engine's
   * {@code tasks(...)} and {@code worker(...)} then say so.
   *
   * @return the store's tasks, or empty when it keeps none
   */
  default Optional<TaskStore> tasks() {
    return Optional.empty();
  }
}
