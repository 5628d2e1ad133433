package dev.heartbeat.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.tck.ManualTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * A batch of beats forces the agents' directory once, not once per beat (issue 21): each beat is
 * still its own atomic rename over its state file, and the batch returns only after the one
 * directory sync that makes all of its renames durable.
 */
class FileBatchSyncTest {
  @Test
  void aBatchForcesTheAgentsDirectoryOnce() {
    ManualTime time = new ManualTime();
    java.nio.file.Path dir = FileHarness.freshDirectory();
    try (FileStore store = FileStore.open(dir, time, 10)) {
      int agents = 40;
      for (int i = 0; i < agents; i++) {
        store.register(beat("agent-" + i, 1));
      }
      List<Beat> beats = new ArrayList<>();
      for (int i = 0; i < agents; i++) {
        beats.add(beat("agent-" + i, 2));
      }
      beats.add(beat("agent-0", 1)); // stale: writes nothing
      beats.add(beat("nobody", 1)); // unknown: writes nothing

      long before = Durable.directoryForces();
      List<Optional<Heartbeat>> answers = store.recordAll(beats);
      assertThat(Durable.directoryForces() - before).as("directory forces of the batch")
          .isEqualTo(1);
      assertThat(answers.subList(0, agents)).allSatisfy(h ->
          assertThat(h).get().extracting(Heartbeat::sequence).isEqualTo(2L));
      assertThat(answers.get(agents)).get().extracting(Heartbeat::sequence).isEqualTo(2L);
      assertThat(answers.get(agents + 1)).isEmpty();

      before = Durable.directoryForces();
      assertThat(store.recordAll(List.of(beat("agent-1", 2), beat("nobody", 3))))
          .as("a batch that writes nothing").hasSize(2);
      assertThat(Durable.directoryForces() - before).as("forces of a batch that wrote nothing")
          .isZero();
    }
    try (FileStore reopened = FileStore.open(dir, time, 10)) {
      assertThat(reopened.agents()).hasSize(40).allSatisfy(h ->
          assertThat(h.sequence()).isEqualTo(2L));
      assertThat(reopened.history("agent-7", 10)).extracting(Heartbeat::sequence)
          .containsExactly(2L, 1L);
    }
  }

  private static Beat beat(String agent, long seq) {
    return new Beat(agent, "run-1", seq, Optional.empty(), AgentStatus.IDLE,
        OptionalDouble.of(0.1), Optional.empty(), false, Optional.empty());
  }
}
