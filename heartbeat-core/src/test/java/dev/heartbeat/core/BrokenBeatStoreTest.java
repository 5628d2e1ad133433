package dev.heartbeat.core;

import static java.util.stream.Collectors.toMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.HeartbeatContract;
import dev.heartbeat.tck.ManualTime;
import dev.heartbeat.tck.StoreHarness;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The heartbeat kit catches a store that lets a late beat through: the whole contract, run by the
 * JUnit engine as a store's own build runs it, fails in each test of a promise about stale beats
 * (so a late beat can never undo a LEFT), and in no other, while {@link MemoryHeartbeatTest}
 * passes it all.
 */
class BrokenBeatStoreTest {
  /** The contract on a memory store that does not compare beats with the stored state. */
  static final class BlindWriteKit extends HeartbeatContract {
    @Override
    protected StoreHarness harness() {
      return new StoreHarness() {
        @Override
        public HeartbeatStore open(ManualTime time, int historyLimit) {
          return new BrokenBeatStore(new MemoryStore(time, historyLimit));
        }

        @Override
        public void damageAgent(HeartbeatStore store, String agentId) {
          throw new UnsupportedOperationException("the heartbeat kit damages no agent");
        }

        @Override
        public void damageLease(HeartbeatStore store, String name) {
          throw new UnsupportedOperationException("the heartbeat kit damages no lease");
        }
      };
    }
  }

  @Test
  void theContractCatchesEveryKindOfStaleBeat() {
    Map<String, Throwable> failed = failures();
    List<String> everyTime = List.of(
        "aBeatWithASequenceNotAboveTheStoredOneChangesNothing",
        "aStaleBeatAddsNoProgressEvent",
        "aBeatOfAnotherIncarnationChangesNothing",
        "leftIsFinalForItsIncarnationUntilANewRunRegisters",
        "aBatchAppliesBeatsOfOneAgentInOrderAndRejectsTheStaleOnes",
        "theIntervalABeatCarriesIsStoredWithIt"); // its stale answer is the stored state
    assertThat(failed).containsKeys(everyTime.toArray(String[]::new));
    List<String> maybe = new ArrayList<>(everyTime);
    maybe.add("racingBeatsOfOneRunNeverMoveTheLatestStateBack"); // when a beat is late in the race
    assertThat(maybe).as("no test of another promise fails").containsAll(failed.keySet());
    // an assertion each (the race, when it fails, fails in its writer threads, in any way)
    assertThat(everyTime).allSatisfy(name -> assertThat(failed.get(name))
        .as(name).isInstanceOf(AssertionError.class));
  }

  /** The contract's tests that fail, by method name, with what each threw. */
  private static Map<String, Throwable> failures() {
    List<Event> failed = EngineTestKit.engine("junit-jupiter").selectors(
        selectClass(BlindWriteKit.class)).execute().testEvents().failed().list();
    return failed.stream().collect(toMap(
        e -> ((MethodSource) e.getTestDescriptor().getSource().orElseThrow()).getMethodName(),
        e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow()));
  }
}
