package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.FaultyStore;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The ticker's own thread. */
class EngineTickerTest {
  private final ManualTime time = new ManualTime();
  private final MemoryStore store = new MemoryStore(time, 100);

  /**
   * Virtual threads that never let go of their carrier (here a busy loop; on Java 21 also a store
   * driver blocking inside {@code synchronized}) take every carrier of the virtual-thread
   * scheduler; the ticker has a platform thread of its own and still fires its deadlines.
   */
  @Test
  void theTickerFiresDeadlinesWhileEveryCarrierIsTaken() throws Exception {
    FaultyStore link = new FaultyStore(store);
    link.hang();
    try (Heartbeats hb = Heartbeats.builder().store(link).time(time).holderId("a")
        .closeTimeout(Duration.ofSeconds(1)).build()) {
      HeartbeatAgent agent = hb.agent("w").interval(Duration.ofSeconds(5)).start();
      Await.until("the registration hangs", () -> link.calls() >= 1);

      int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
          Runtime.getRuntime().availableProcessors());
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch taken = new CountDownLatch(carriers);
      long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      for (int i = 0; i < carriers + 1; i++) {
        Thread.ofVirtual().name("hog-" + i).start(() -> {
          taken.countDown();
          while (!stop.get() && System.nanoTime() - bound < 0) {
            Thread.onSpinWait(); // holds its carrier: a virtual thread is never preempted
          }
        });
      }
      try {
        assertThat(taken.await(10, TimeUnit.SECONDS)).as("every carrier taken").isTrue();
        time.advance(Duration.ofSeconds(5)); // the registration's deadline
        Await.until("the ticker gave up on the registration at its deadline",
            () -> agent.diagnostics().beats().failed() >= 1, Duration.ofSeconds(5));
        assertThat(hb.ticker().lastLateness()).isLessThan(Duration.ofSeconds(1));
      } finally {
        stop.set(true);
        link.heal();
      }
    }
  }
}
