package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentChange.Evidence;
import dev.heartbeat.AgentChange.Kind;
import dev.heartbeat.AgentState;
import dev.heartbeat.tck.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The detector's listeners: in order, off the ticker, behind a bounded queue. */
class DetectorListenersTest {
  private static AgentChange change(int i) {
    return new AgentChange("a" + i, "run", AgentState.ALIVE, AgentState.SUSPECT, Kind.SUSPECTED,
        null, new Evidence(Duration.ofSeconds(15), 8.5, Duration.ofSeconds(5), Duration.ZERO),
        Instant.parse("2025-01-01T00:00:00Z"));
  }

  @Test
  void aSlowListenerHoldsAtMostTheQueuedChangesAndTheRestAreDroppedAndCounted()
      throws Exception {
    AtomicLong dropped = new AtomicLong();
    ChangeListeners listeners = new ChangeListeners("test", dropped::incrementAndGet);
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    List<String> heard = new CopyOnWriteArrayList<>();
    listeners.add(c -> {
      running.countDown();
      try {
        stuck.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      heard.add(c.agentId());
    });
    listeners.tell(List.of(change(0)));
    running.await();
    int sent = ChangeListeners.CAPACITY + 25;
    for (int i = 1; i <= sent; i++) {
      listeners.tell(List.of(change(i))); // never waits for the listener
    }
    assertThat(dropped.get()).isEqualTo(25);
    assertThat(listeners.dropped()).isEqualTo(25);

    stuck.countDown();
    Await.until("the queued changes heard", () -> heard.size() == ChangeListeners.CAPACITY + 1);
    assertThat(heard.get(0)).isEqualTo("a0");
    assertThat(heard.get(ChangeListeners.CAPACITY)).as("in order, the newest dropped")
        .isEqualTo("a" + ChangeListeners.CAPACITY);
    listeners.tell(List.of(change(9999)));
    Await.until("delivered again", () -> heard.contains("a9999"));
    listeners.shutdown();
  }
}
