package dev.heartbeat.tck;

import static dev.heartbeat.tck.Beats.plain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.spi.AgentChanges;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.ChangeCursor;
import dev.heartbeat.spi.HeartbeatStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The incremental read, {@link HeartbeatStore#agentsChangedSince}: a reader that applies each
 * answer to what it knows (a complete answer replaces it; otherwise forgotten ids go and changed
 * agents are put) knows, after every read, exactly what {@link HeartbeatStore#agents()} holds:
 * no beat, registration, {@code LEFT} or forget is missed, across any sequence of writes and
 * reads, also of writes stamped at the very instant of the cursor.
 */
public abstract class ChangesContract extends StoreContract {
  /** For subclasses: a store's test class extends it. */
  protected ChangesContract() {}

  /** What a reader knows: the agents by id, from the answers it applied. */
  protected static final class Reader {
    private final HeartbeatStore store;
    private final Map<String, Heartbeat> known = new TreeMap<>();
    private ChangeCursor cursor = ChangeCursor.START;

    /**
     * A reader of {@code store}, from the start.
     *
     * @param store the store
     */
    public Reader(HeartbeatStore store) {
      this.store = store;
    }

    /**
     * Reads what changed since the last read and applies it.
     *
     * @return the answer
     */
    public AgentChanges read() {
      AgentChanges answer = store.agentsChangedSince(cursor);
      if (answer.complete()) {
        known.clear();
      }
      answer.forgotten().forEach(known::remove);
      answer.changed().forEach(h -> known.put(h.agentId(), h));
      cursor = answer.next();
      return answer;
    }

    /**
     * Reads, then checks that the reader knows what the store holds.
     *
     * @param why what the reader should have seen
     * @return the answer
     */
    public AgentChanges readAndCheck(String why) {
      AgentChanges answer = read();
      Map<String, Heartbeat> stored = new TreeMap<>();
      store.agents().forEach(h -> stored.put(h.agentId(), h));
      assertThat(known).as(why).isEqualTo(stored);
      return answer;
    }
  }

  @Test
  void aReadFromTheStartHoldsEveryAgent() {
    HeartbeatStore store = open();
    store.register(plain("a", 1));
    store.register(plain("b", 1));
    AgentChanges answer = store.agentsChangedSince(ChangeCursor.START);
    assertThat(answer.changed()).extracting(Heartbeat::agentId).contains("a", "b");
    new Reader(store).readAndCheck("every agent from the start");
  }

  @Test
  void aReadAfterACursorHoldsEveryBeatRegistrationLeaveAndForgetSinceIt() {
    HeartbeatStore store = open();
    for (String id : List.of("a", "b", "c", "d")) {
      store.register(plain(id, 1));
    }
    Reader reader = new Reader(store);
    reader.readAndCheck("the first read");
    time.advance(Duration.ofSeconds(30));
    store.record(plain("a", 2));
    store.register(plain("e", 1));
    store.record(left("b", 2));
    store.forget("c");
    AgentChanges answer = reader.readAndCheck(
        "a's beat, e's registration, b's leave and c's forget");
    assertThat(answer.changed()).extracting(Heartbeat::agentId).doesNotContain("c");
    time.advance(Duration.ofSeconds(30));
    store.register(plain("c", 1));
    reader.readAndCheck("c registered again after it was forgotten");
  }

  @Test
  void aBeatStampedAtTheInstantOfTheCursorIsSeen() {
    HeartbeatStore store = open();
    store.register(plain("a", 1));
    store.register(plain("b", 1));
    Reader reader = new Reader(store);
    reader.readAndCheck("the first read");
    time.advance(Duration.ofMinutes(1));
    store.record(plain("a", 2));
    reader.readAndCheck("a's beat");
    store.record(plain("b", 2)); // the store's clock has not moved: stamped as a's beat was
    reader.readAndCheck("b's beat, stamped at the instant of a's, after the read that saw a's");
    time.advance(Duration.ofMinutes(1));
    reader.readAndCheck("nothing new");
  }

  @Test
  void interleavedWritesAndReadsMissNothing() {
    HeartbeatStore store = open();
    Random random = new Random(21);
    Reader reader = new Reader(store);
    List<String> ids = new ArrayList<>();
    Map<String, Long> seq = new TreeMap<>();
    for (int step = 0; step < 300; step++) {
      int op = random.nextInt(10);
      String id = ids.isEmpty() || op == 0 ? "agent-" + step : ids.get(random.nextInt(ids.size()));
      long next = seq.getOrDefault(id, 0L) + 1;
      seq.put(id, next);
      switch (op) {
        case 0 -> {
          store.register(plain(id, next));
          ids.add(id);
        }
        case 1 -> store.record(left(id, next));
        case 2 -> {
          store.forget(id);
          ids.remove(id);
          seq.remove(id);
        }
        default -> {
          if (store.record(plain(id, next)).isEmpty()) {
            store.register(plain(id, next));
            if (!ids.contains(id)) {
              ids.add(id);
            }
          }
        }
      }
      switch (random.nextInt(4)) {
        case 0 -> time.advance(Duration.ofMillis(random.nextInt(3) * 1000L));
        case 1 -> time.advance(Duration.ofMillis(random.nextInt(20)));
        default -> { } // the store's clock stands still: writes share a stamp
      }
      if (random.nextInt(3) == 0) {
        reader.readAndCheck("after step " + step);
      }
    }
    reader.readAndCheck("at the end");
  }

  /** A {@code LEFT} beat of {@code agent} (incarnation "inc-1"). */
  static Beat left(String agent, long seq) {
    return new Beat(agent, "inc-1", seq, Optional.empty(), AgentStatus.LEFT,
        OptionalDouble.of(0.0), Optional.empty(), false, Optional.of(Beats.INTERVAL));
  }
}
