package dev.heartbeat.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.BrokenTaskStore.Flaw;
import dev.heartbeat.tck.TaskModelProperties.Op;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The task kit catches a broken task store: the contract test for the promise the flaw breaks
 * fails on it and passes on the memory store; and the model property, on its own generated steps,
 * catches each flaw within a bounded number of tries while the memory store passes them all (of
 * a thousand generated step lists, about 3% catch the lax end and 20% the stuck token: 600 tries
 * miss the lax end with odds below one in a billion).
 */
class BrokenTaskStoreTest {
  private static final int TRIES = 600;

  /** The contract, run on the store {@code wrap} makes of a fresh memory store. */
  private static final class On extends TaskContract {
    private final Function<HeartbeatStore, HeartbeatStore> wrap;

    On(Function<HeartbeatStore, HeartbeatStore> wrap) {
      this.wrap = wrap;
    }

    @Override
    protected StoreHarness harness() {
      return new StoreHarness() {
        @Override
        public HeartbeatStore open(ManualTime time, int historyLimit) {
          return wrap.apply(new MemoryStore(time, historyLimit));
        }

        @Override
        public void damageAgent(HeartbeatStore store, String agentId) {
          throw new UnsupportedOperationException();
        }

        @Override
        public void damageLease(HeartbeatStore store, String name) {
          throw new UnsupportedOperationException();
        }
      };
    }
  }

  private static void run(Function<HeartbeatStore, HeartbeatStore> wrap, Consumer<On> test) {
    On contract = new On(wrap);
    try {
      test.accept(contract);
    } finally {
      contract.closeStores();
    }
  }

  @Test
  void theContractCatchesAFencedOutEndThatWins() {
    Consumer<On> test = On::writesOfAFencedOutClaimAreRefusedAndLeaveTheTaskUntouched;
    assertThatThrownBy(() -> run(s -> new BrokenTaskStore(s, Flaw.LAX_END), test))
        .isInstanceOf(AssertionError.class).hasMessageContaining("end of a claim taken over");
    assertThatCode(() -> run(s -> s, test)).doesNotThrowAnyException();
  }

  @Test
  void theContractCatchesTokensThatDoNotGrow() {
    Consumer<On> test = On::aClaimTakesTheTaskWithAGreaterTokenAndStartsAnAttempt;
    assertThatThrownBy(() -> run(s -> new BrokenTaskStore(s, Flaw.STUCK_TOKEN), test))
        .isInstanceOf(AssertionError.class);
    assertThatCode(() -> run(s -> s, test)).doesNotThrowAnyException();
    Consumer<On> prune = On::tokensGrowAcrossPruneAndResubmission;
    assertThatThrownBy(() -> run(s -> new BrokenTaskStore(s, Flaw.STUCK_TOKEN), prune))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void theModelCatchesEachFlawOnItsOwnSteps() {
    List<List<Op>> scenarios = new TaskModelProperties() {
      @Override
      protected StoreHarness harness() {
        throw new UnsupportedOperationException("only the generator is used");
      }
    }.taskOps().sampleStream().limit(TRIES).toList();

    assertThat(firstViolation(scenarios, s -> new BrokenTaskStore(s, Flaw.LAX_END)))
        .hasValueSatisfying(why -> assertThat(why).contains("End["));
    assertThat(firstViolation(scenarios, s -> new BrokenTaskStore(s, Flaw.STUCK_TOKEN)))
        .hasValueSatisfying(why -> assertThat(why).contains("token of t"));
    assertThat(firstViolation(scenarios, s -> s)).isEmpty();
  }

  /** Plays the scenarios until one fails; the failure's message. */
  private static Optional<String> firstViolation(List<List<Op>> scenarios,
      Function<HeartbeatStore, HeartbeatStore> wrap) {
    for (List<Op> ops : scenarios) {
      ManualTime time = new ManualTime();
      try (MemoryStore memory = new MemoryStore(time, 10)) {
        TaskModelProperties.play(wrap.apply(memory), time, ops);
      } catch (AssertionError e) {
        return Optional.of(e.getMessage());
      }
    }
    return Optional.empty();
  }
}
