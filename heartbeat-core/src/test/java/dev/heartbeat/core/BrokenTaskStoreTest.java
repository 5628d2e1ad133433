package dev.heartbeat.core;

import static java.util.stream.Collectors.toMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.heartbeat.core.BrokenTaskStore.Flaw;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.ManualTime;
import dev.heartbeat.tck.StoreContract;
import dev.heartbeat.tck.StoreHarness;
import dev.heartbeat.tck.TaskContract;
import dev.heartbeat.tck.TaskModelProperties;
import dev.heartbeat.tck.TaskSignalsContract;
import dev.heartbeat.tck.TaskModelProperties.Op;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The task kit catches a broken task store: the whole contract, run by the JUnit engine the way a
 * store's own build runs it, fails on each flaw in the test for the promise it breaks, while
 * {@link MemoryTaskTest} passes it all; and the model property, on its own generated steps,
 * catches each flaw within a bounded number of tries while the memory store passes them all (of a
 * thousand generated step lists, about 3% catch the lax end and 20% the stuck token: 600 tries
 * miss the lax end with odds below one in a billion).
 */
class BrokenTaskStoreTest {
  private static final int TRIES = 600;

  /** The contract on a memory store whose ends forget the claim. */
  static final class LaxEndKit extends TaskContract {
    @Override
    protected StoreHarness harness() {
      return broken(Flaw.LAX_END);
    }
  }

  /** The contract on a memory store whose tokens never grow. */
  static final class StuckTokenKit extends TaskContract {
    @Override
    protected StoreHarness harness() {
      return broken(Flaw.STUCK_TOKEN);
    }
  }

  /** The contract on a memory store whose batch of ends answers in the order of the ids. */
  static final class SortedEndAllKit extends TaskContract {
    @Override
    protected StoreHarness harness() {
      return broken(Flaw.SORTED_END_ALL);
    }
  }

  /** The signals contract on a memory store that signals every queue on any write. */
  static final class CrossedSignalsKit extends TaskSignalsContract {
    @Override
    protected StoreHarness harness() {
      return broken(Flaw.CROSSED_SIGNALS);
    }
  }

  @Test
  void theSignalsContractCatchesSignalsOfAnotherQueue() {
    Map<String, Throwable> failed = failures(CrossedSignalsKit.class);
    assertThat(failed).containsOnlyKeys("aSubmitSignalsItsOwnQueueAndNoOther");
    assertThat(failed.get("aSubmitSignalsItsOwnQueueAndNoOther"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("signals heard by a listener of another queue");
  }

  @Test
  void theContractCatchesAFencedOutEndThatWins() {
    Map<String, Throwable> failed = failures(LaxEndKit.class);
    assertThat(failed).containsKey("writesOfAFencedOutClaimAreRefusedAndLeaveTheTaskUntouched");
    assertThat(failed.get("writesOfAFencedOutClaimAreRefusedAndLeaveTheTaskUntouched"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("end of a claim taken over");
  }

  @Test
  void theContractCatchesABatchOfEndsAnsweredOutOfOrder() {
    Map<String, Throwable> failed = failures(SortedEndAllKit.class);
    assertThat(failed).containsOnlyKeys("endAllEndsEachOnItsOwnClaimAndAnswersInTheOrderAsked");
    assertThat(failed.get("endAllEndsEachOnItsOwnClaimAndAnswersInTheOrderAsked"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("in the order of its ends");
  }

  @Test
  void theContractCatchesTokensThatDoNotGrow() {
    assertThat(failures(StuckTokenKit.class)).containsKeys(
        "aClaimTakesTheTaskWithAGreaterTokenAndStartsAnAttempt",
        "tokensGrowAcrossPruneAndResubmission");
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

  /** The contract's tests that fail on {@code kit}, by method name, with what each threw. */
  private static Map<String, Throwable> failures(Class<? extends StoreContract> kit) {
    List<Event> failed = EngineTestKit.engine("junit-jupiter").selectors(selectClass(kit))
        .execute().testEvents().failed().list();
    return failed.stream().collect(toMap(
        e -> ((MethodSource) e.getTestDescriptor().getSource().orElseThrow()).getMethodName(),
        e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow()));
  }

  /** A harness of memory stores with {@code flaw}. */
  private static StoreHarness broken(Flaw flaw) {
    return new StoreHarness() {
      @Override
      public HeartbeatStore open(ManualTime time, int historyLimit) {
        return new BrokenTaskStore(new MemoryStore(time, historyLimit), flaw);
      }

      @Override
      public void damageAgent(HeartbeatStore store, String agentId) {
        throw new UnsupportedOperationException("the task kit damages no agent");
      }

      @Override
      public void damageLease(HeartbeatStore store, String name) {
        throw new UnsupportedOperationException("the task kit damages no lease");
      }
    };
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
