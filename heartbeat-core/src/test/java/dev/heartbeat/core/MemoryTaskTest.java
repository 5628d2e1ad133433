package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskStore;
import dev.heartbeat.tck.StoreHarness;
import dev.heartbeat.tck.TaskContract;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MemoryTaskTest extends TaskContract {
  @Override
  protected StoreHarness harness() {
    return MemoryHarness.INSTANCE;
  }

  @Test
  void aFullQueueRefusesNewTasksUntilPruned() {
    try (MemoryStore memory = new MemoryStore(time, 10, 3)) {
      TaskStore store = memory.tasks().orElseThrow();
      for (String id : new String[] {"a", "b", "c"}) {
        store.submit("q", TaskSpec.of(id, ""));
      }
      assertThat(store.submit("q", TaskSpec.of("a", "")).id()).as("a known id is fine")
          .isEqualTo("a");
      assertThatThrownBy(() -> store.submit("q", TaskSpec.of("d", "")))
          .isInstanceOf(HeartbeatStoreException.class)
          .hasMessageContaining("queue 'q' holds 3 tasks").hasMessageContaining("'d'");
      store.submit("other", TaskSpec.of("d", ""));
      store.cancel("q", "a");
      time.advance(Duration.ofSeconds(1));
      assertThat(store.prune("q", memory.now(), 10)).isEqualTo(1);
      assertThat(store.submit("q", TaskSpec.of("d", "")).state()).isEqualTo(TaskState.INBOX);
    }
  }

  @Test
  void reservedTokensBeyondTheBoundFoldIntoAFloorSoTokensStillGrow() {
    try (MemoryStore memory = new MemoryStore(time, 10, 2)) {
      TaskStore store = memory.tasks().orElseThrow();
      assertThat(runAndPrune(memory, store, "a", 1)).isEqualTo(1);
      assertThat(runAndPrune(memory, store, "b", 2)).isEqualTo(2);
      runAndPrune(memory, store, "c", 1); // a's reservation folds into the floor
      store.submit("q", TaskSpec.of("a", ""));
      assertThat(claim(store).task().token()).isGreaterThan(1);
    }
  }

  /** Runs a task {@code attempts} times, ends it and prunes it; returns its last token. */
  private long runAndPrune(MemoryStore memory, TaskStore store, String id, int attempts) {
    store.submit("q", TaskSpec.of(id, ""));
    TaskClaim claim = claim(store);
    for (int i = 1; i < attempts; i++) {
      store.end(claim.claim(), end(AttemptOutcome.RELEASED, TaskState.INBOX));
      claim = claim(store);
    }
    store.end(claim.claim(), end(AttemptOutcome.DONE, TaskState.DONE));
    time.advance(Duration.ofSeconds(1));
    assertThat(store.prune("q", memory.now(), 10)).isEqualTo(1);
    return claim.task().token();
  }

  private static TaskClaim claim(TaskStore store) {
    return store.claim("q", "w", "w-1", 1, Duration.ofSeconds(5)).getFirst();
  }

  private static AttemptEnd end(AttemptOutcome outcome, TaskState next) {
    return new AttemptEnd(outcome, Optional.empty(), Optional.empty(), Optional.empty(), next,
        Duration.ZERO, Optional.empty());
  }
}
