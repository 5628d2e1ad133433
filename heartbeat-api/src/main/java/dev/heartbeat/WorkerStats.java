package dev.heartbeat;

import dev.heartbeat.spi.Checks;
import java.util.Map;

/**
 * What a {@link TaskWorker} has done since it started; the attempt counts are by outcome.
 *
 * @param running attempts running now
 * @param claimed tasks claimed
 * @param done attempts {@link AttemptOutcome#DONE}
 * @param failed attempts {@link AttemptOutcome#FAILED}
 * @param timedOut attempts {@link AttemptOutcome#TIMED_OUT}
 * @param stalled attempts {@link AttemptOutcome#STALLED}
 * @param blocked attempts {@link AttemptOutcome#BLOCKED}
 * @param cancelled attempts {@link AttemptOutcome#CANCELLED}
 * @param fencedOut writes refused because the claim was gone (and the attempts they ended)
 * @param released attempts {@link AttemptOutcome#RELEASED}
 * @param selfFenced attempts this worker interrupted because it could not renew their claims in
 *     time
 * @param reassignments the tasks this worker claimed that had run before, by how their previous
 *     attempt ended (its worker lost, {@code WORKER_LOST}; a failure being retried; released by a
 *     closing worker; {@code BLOCKED} and retried by hand); outcomes absent are 0
 */
public record WorkerStats(int running, long claimed, long done, long failed, long timedOut,
    long stalled, long blocked, long cancelled, long fencedOut, long released, long selfFenced,
    Map<AttemptOutcome, Long> reassignments) {
  /** Checks the components and copies the map. */
  public WorkerStats {
    reassignments = Map.copyOf(Checks.notNull("reassignments", reassignments));
  }

  /**
   * Stats without reassignments.
   *
   * @param running attempts running now
   * @param claimed tasks claimed
   * @param done attempts done
   * @param failed attempts failed
   * @param timedOut attempts timed out
   * @param stalled attempts stalled
   * @param blocked attempts blocked
   * @param cancelled attempts cancelled
   * @param fencedOut writes refused because the claim was gone
   * @param released attempts released
   * @param selfFenced attempts interrupted because their claims could not be renewed in time
   */
  public WorkerStats(int running, long claimed, long done, long failed, long timedOut,
      long stalled, long blocked, long cancelled, long fencedOut, long released,
      long selfFenced) {
    this(running, claimed, done, failed, timedOut, stalled, blocked, cancelled, fencedOut,
        released, selfFenced, Map.of());
  }

  /**
   * The tasks this worker claimed whose previous attempt ended with {@code reason}.
   *
   * @param reason how the previous attempt ended
   * @return how many, 0 when none
   * @throws IllegalArgumentException when {@code reason} is null
   */
  public long reassigned(AttemptOutcome reason) {
    return reassignments.getOrDefault(Checks.notNull("reason", reason), 0L);
  }
}
