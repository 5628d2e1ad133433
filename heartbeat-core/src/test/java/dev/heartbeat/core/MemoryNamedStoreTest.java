package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.StoreNotFoundException;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.Await;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Named memory stores live while something holds them, not forever. */
class MemoryNamedStoreTest {

  private static boolean exists(String uri) {
    try {
      Heartbeats.openExistingStore(uri);
      return true;
    } catch (StoreNotFoundException e) {
      return false;
    }
  }

  /** In a method of its own, so that no local of the test's frame still holds the store. */
  private static void useAndClose(String uri) {
    try (Heartbeats a = Heartbeats.open(uri); Heartbeats b = Heartbeats.open(uri)) {
      assertThat(a.store()).isSameAs(b.store());
      a.store().register(new Beat("w", "run", 1, Optional.empty(), AgentStatus.IDLE,
          OptionalDouble.empty(), Optional.empty(), false, Optional.empty()));
      System.gc();
      HeartbeatStore seen = Heartbeats.openExistingStore(uri);
      assertThat(seen.agent("w")).as("held by the open engines").isPresent();
    }
  }

  @Test
  void aNamedStoreIsSharedWhileHeldAndGoesWhenNothingHoldsIt() {
    String uri = "memory:named-" + UUID.randomUUID();
    useAndClose(uri);
    Await.until("forgotten once nothing holds it", () -> {
      System.gc();
      return !exists(uri);
    });
    try (Heartbeats fresh = Heartbeats.open(uri)) {
      assertThat(fresh.store().agents()).as("a new store of that name").isEmpty();
    }
  }
}
