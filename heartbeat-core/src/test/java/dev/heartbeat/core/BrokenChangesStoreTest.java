package dev.heartbeat.core;

import static java.util.stream.Collectors.toMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.ChangesContract;
import dev.heartbeat.tck.ManualTime;
import dev.heartbeat.tck.StoreHarness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The changes kit catches a store whose incremental read loses a change: the whole contract, run
 * by the JUnit engine as a store's own build runs it, fails in the tests of beats stamped at the
 * cursor's instant (the explicit one and the interleaving), while {@link MemoryChangesTest}
 * passes it all.
 */
class BrokenChangesStoreTest {
  /** The contract on a memory store whose incremental read is off by one. */
  static final class OffByOneKit extends ChangesContract {
    @Override
    protected StoreHarness harness() {
      return new StoreHarness() {
        @Override
        public HeartbeatStore open(ManualTime time, int historyLimit) {
          return new BrokenChangesStore(new MemoryStore(time, historyLimit));
        }

        @Override
        public void damageAgent(HeartbeatStore store, String agentId) {
          throw new UnsupportedOperationException("the changes kit damages no agent");
        }

        @Override
        public void damageLease(HeartbeatStore store, String name) {
          throw new UnsupportedOperationException("the changes kit damages no lease");
        }
      };
    }
  }

  @Test
  void theContractCatchesABeatSkippedAtTheCursor() {
    Map<String, Throwable> failed = failures();
    List<String> expected = List.of("aBeatStampedAtTheInstantOfTheCursorIsSeen",
        "interleavedWritesAndReadsMissNothing");
    assertThat(failed.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(expected).allSatisfy(name -> assertThat(failed.get(name))
        .as(name).isInstanceOf(AssertionError.class));
  }

  /** The contract's tests that fail, by method name, with what each threw. */
  private static Map<String, Throwable> failures() {
    List<Event> failed = EngineTestKit.engine("junit-jupiter").selectors(
        selectClass(OffByOneKit.class)).execute().testEvents().failed().list();
    return failed.stream().collect(toMap(
        e -> ((MethodSource) e.getTestDescriptor().getSource().orElseThrow()).getMethodName(),
        e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow()));
  }
}
