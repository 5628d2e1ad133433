package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentDiagnostics;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.ForwardingStore;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The store's answer to a stale beat (its stored state, unchanged) read by the engine: a newer
 * beat of the same run is a success; another run of the same id is another process, and the last
 * writer wins.
 */
class EngineStaleBeatTest {
  private final ManualTime time = new ManualTime();
  private final MemoryStore store = new MemoryStore(time, 100);

  /** Holds the background beats' {@code recordAll} while the test says so. */
  static final class HeldBatches extends ForwardingStore {
    volatile CountDownLatch hold = new CountDownLatch(0);
    final AtomicInteger held = new AtomicInteger();

    HeldBatches(dev.heartbeat.spi.HeartbeatStore store) {
      super(store);
    }

    @Override
    public List<Optional<Heartbeat>> recordAll(List<Beat> beats) {
      CountDownLatch latch = hold;
      if (latch.getCount() > 0) {
        held.incrementAndGet();
        try {
          latch.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return super.recordAll(beats);
    }
  }

  private Heartbeats engine(String holder, dev.heartbeat.spi.HeartbeatStore through) {
    return Heartbeats.builder().store(through).time(time).holderId(holder)
        .closeTimeout(Duration.ofSeconds(1)).build();
  }

  /**
   * An agent closed between its beat's place in a batch and the start of the call: the batch
   * still carries its beat, and every other agent gets its own answer. (Each agent's answer was
   * taken by its place among the agents that started, so the agents after a closed one got their
   * neighbour's row, took it for another process, and registered again: 3,511 such warnings when
   * 100,000 agents closed in `FleetRun`.)
   */
  @Test
  void anAgentClosedAsItsBatchStartsShiftsNoOtherAgentsAnswer() {
    try (Heartbeats hb = engine("h", store)) {
      List<HeartbeatAgent> started = List.of(hb.agent("a").interval(Duration.ofSeconds(5)).start(),
          hb.agent("b").interval(Duration.ofSeconds(5)).start(),
          hb.agent("c").interval(Duration.ofSeconds(5)).start());
      Await.until("all registered", () -> started.stream()
          .allMatch(x -> x.diagnostics().beats().succeeded() >= 1));
      List<AgentImpl> order = ((Engine) hb).agents().all(); // the order a batch takes them in
      AgentImpl first = order.get(0);
      long[] before = order.stream().mapToLong(x -> x.outcome().beats().succeeded()).toArray();
      first.lock.lock();
      try {
        time.advance(Duration.ofSeconds(5));
        Await.until("the ticker waits to start the first agent's call",
            first.lock::hasQueuedThreads);
        first.closed = true; // closed as its batch starts
      } finally {
        first.lock.unlock();
      }
      Await.until("the others' beats answered", () -> order.get(1).outcome().beats().succeeded()
          > before[1] && order.get(2).outcome().beats().succeeded() > before[2]
          || order.get(1).claimsSeen() + order.get(2).claimsSeen() > 0);
      assertThat(order.get(1).claimsSeen() + order.get(2).claimsSeen())
          .as("agents that took a neighbour's row for another process").isZero();
      assertThat(store.agent(order.get(2).id())).get().extracting(Heartbeat::incarnation)
          .isEqualTo(order.get(2).incarnation());
    }
  }

  @Test
  void aBackgroundBeatOvertakenByBeatIsASuccessAndTheStateStaysNewest() {
    HeldBatches link = new HeldBatches(store);
    try (Heartbeats hb = engine("a", link)) {
      HeartbeatAgent agent = hb.agent("w").interval(Duration.ofSeconds(5)).start();
      Await.until("registered", () -> agent.diagnostics().beats().succeeded() == 1);
      link.hold = new CountDownLatch(1);
      time.advance(Duration.ofSeconds(5));
      Await.until("the background beat is on its way", () -> link.held.get() == 1);

      Heartbeat direct = agent.beat(); // overtakes it
      long newest = direct.sequence();
      link.hold.countDown(); // the background beat arrives late: stale, the store keeps newest
      Await.until("its answer applied", () -> agent.diagnostics().beats().succeeded() == 3);

      AgentDiagnostics d = agent.diagnostics();
      assertThat(store.agent("w").orElseThrow().sequence()).isEqualTo(newest);
      assertThat(d.beats().failed()).isZero();
      assertThat(d.lastSequence()).isEqualTo(newest);
      assertThat(d.lastWriteVerified()).as("the store holds this run's newest beat").isTrue();
      assertThat(store.history("w", 10)).extracting(Heartbeat::sequence)
          .as("nothing went back in time").isSortedAccordingTo((x, y) -> Long.compare(y, x));
    }
  }

  @Test
  void anotherRunOfTheSameIdIsWarnedOnceAndTheLastWriterWins() {
    try (Heartbeats first = engine("first", store); Heartbeats second = engine("second", store)) {
      HeartbeatAgent mine = first.agent("w").interval(Duration.ofSeconds(5)).start();
      Await.until("registered", () -> mine.diagnostics().beats().succeeded() == 1);
      HeartbeatAgent theirs = second.agent("w").interval(Duration.ofMinutes(10)).start();
      Await.until("registered elsewhere", () -> theirs.diagnostics().beats().succeeded() == 1);
      assertThat(store.agent("w").orElseThrow().incarnation()).isEqualTo(theirs.incarnation());

      time.advance(Duration.ofSeconds(5)); // my beat is stale: the store has their run
      Await.until("mine registered again", () -> store.agent("w").orElseThrow().incarnation()
          .equals(mine.incarnation()));
      assertThat(((AgentImpl) mine).claimsSeen()).isEqualTo(1);

      Heartbeat back = theirs.beat(); // theirs beats now, is stale, and registers again too
      assertThat(back.incarnation()).isEqualTo(theirs.incarnation());
      assertThat(store.agent("w").orElseThrow().incarnation()).isEqualTo(theirs.incarnation());
      assertThat(((AgentImpl) theirs).claimsSeen()).isEqualTo(1);

      long regs = mine.diagnostics().beats().succeeded();
      time.advance(Duration.ofSeconds(5));
      Await.until("mine again", () -> store.agent("w").orElseThrow().incarnation()
          .equals(mine.incarnation()) && mine.diagnostics().beats().succeeded() > regs);
      assertThat(((AgentImpl) mine).claimsSeen()).as("warned once per other run").isEqualTo(1);
      assertThat(mine.diagnostics().beats().failed()).isZero();
    }
  }
}
