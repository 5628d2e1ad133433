package dev.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 15: a progress event holds no null, like Heartbeat and AgentView. */
class ProgressEventTest {
  @Test
  void absentTaskAndProgressAreEmptyNeverNull() {
    ProgressEvent e = new ProgressEvent("a", "run-1", 3, Optional.empty(), Optional.of("1/3"),
        Instant.EPOCH);
    assertThat(e.taskId()).isEmpty();
    assertThat(e.progress()).contains("1/3");
    assertThatThrownBy(() -> new ProgressEvent("a", "run-1", 3, null, Optional.empty(),
        Instant.EPOCH)).hasMessageContaining("taskId");
    assertThatThrownBy(() -> new ProgressEvent("a", null, 3, Optional.empty(), Optional.empty(),
        Instant.EPOCH)).hasMessageContaining("incarnation");
  }
}
