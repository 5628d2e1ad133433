package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.spi.TaskStore;
import dev.heartbeat.tck.FaultyStore;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A faulty link cuts task calls off like every other call, and passes them when healthy. */
class FaultyStoreTasksTest {
  @Test
  void taskCallsGoThroughTheLinkAndItsFaults() {
    ManualTime time = new ManualTime();
    try (MemoryStore memory = new MemoryStore(time, 10)) {
      FaultyStore faulty = new FaultyStore(memory);
      TaskStore tasks = faulty.tasks().orElseThrow();
      tasks.submit("q", TaskSpec.of("t1", ""));
      assertThat(faulty.calls()).isEqualTo(1);

      faulty.fail();
      assertThatThrownBy(() -> tasks.claim("q", "w", "w-1", 1, Duration.ofSeconds(5)))
          .isInstanceOf(HeartbeatStoreException.class).hasMessageContaining("tasks.claim");
      assertThat(memory.tasks().orElseThrow().read("q", "t1")).get()
          .extracting(t -> t.worker().isPresent()).isEqualTo(false);

      faulty.heal();
      assertThat(tasks.claim("q", "w", "w-1", 1, Duration.ofSeconds(5))).hasSize(1);
      assertThat(faulty.calls()).isEqualTo(3);
      assertThat(faulty.tasks()).as("one forwarding task store").containsSame(tasks);
    }
  }
}
