package dev.heartbeat;

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
 */
public record WorkerStats(int running, long claimed, long done, long failed, long timedOut,
    long stalled, long blocked, long cancelled, long fencedOut, long released, long selfFenced) {}
