package dev.heartbeat.file;

import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskState;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One process of {@link FileTaskProcessesTest}: claims tasks of queue {@code shared} in the
 * directory given as the first argument, as worker {@code args[1]}, two at a time, ending each
 * {@code DONE}, until a claim finds none; prints {@code CLAIMED id token} per claim and
 * {@code DONE} at the end. Any exception ends it with a stack trace and exit code 1.
 */
public final class TaskClaimChild {
  static final String QUEUE = "shared";
  static final Duration TTL = Duration.ofSeconds(60);
  private static final int MAX_ROUNDS = 10_000;

  private TaskClaimChild() {}

  public static void main(String[] args) {
    try (FileStore store = FileStore.builder(Path.of(args[0]))
        .lockTimeout(Duration.ofSeconds(60)).build()) {
      TaskStore tasks = store.tasks().orElseThrow();
      String worker = args[1];
      for (int round = 0; round < MAX_ROUNDS; round++) {
        List<TaskClaim> claims = tasks.claim(QUEUE, worker, worker + "-1", 2, TTL);
        if (claims.isEmpty()) {
          break;
        }
        for (TaskClaim claim : claims) {
          System.out.println("CLAIMED " + claim.task().id() + " " + claim.claim().token());
          if (!tasks.end(claim.claim(), new AttemptEnd(AttemptOutcome.DONE, Optional.empty(),
              Optional.empty(), Optional.empty(), TaskState.DONE, Duration.ZERO,
              Optional.of(worker)))) {
            throw new IllegalStateException("the end of a held claim was refused: " + claim);
          }
        }
      }
      System.out.println("DONE");
    }
  }
}
