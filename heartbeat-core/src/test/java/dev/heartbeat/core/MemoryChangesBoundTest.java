package dev.heartbeat.core;

import static dev.heartbeat.tck.Beats.plain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.spi.AgentChanges;
import dev.heartbeat.spi.ChangeCursor;
import dev.heartbeat.tck.ManualTime;
import org.junit.jupiter.api.Test;

/** The memory store keeps a bounded number of forgets for incremental readers. */
class MemoryChangesBoundTest {
  @Test
  void pastTheForgetsKeptAnOlderCursorReadsEverything() {
    MemoryStore store = new MemoryStore(new ManualTime(), 5);
    store.register(plain("stays", 1));
    ChangeCursor before = store.agentsChangedSince(ChangeCursor.START).next();
    int n = MemoryChanges.MAX_FORGETS_KEPT;
    for (int i = 0; i < n; i++) {
      store.register(plain("gone-" + i, 1));
      store.forget("gone-" + i);
    }
    AgentChanges kept = store.agentsChangedSince(before);
    assertThat(kept.complete()).isFalse();
    assertThat(kept.forgotten()).hasSize(n);

    store.register(plain("one-more", 1));
    store.forget("one-more");
    AgentChanges dropped = store.agentsChangedSince(before);
    assertThat(dropped.complete()).as("a forget the cursor needs was dropped").isTrue();
    assertThat(dropped.changed()).extracting(h -> h.agentId()).containsExactly("stays");
    assertThat(store.agentsChangedSince(kept.next()).forgotten()).containsExactly("one-more");
  }
}
