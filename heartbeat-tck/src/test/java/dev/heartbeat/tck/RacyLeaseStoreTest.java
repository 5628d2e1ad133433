package dev.heartbeat.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.ConcurrentLeaseRun.Scenario;
import dev.heartbeat.tck.ConcurrentLeaseRun.Step;
import dev.heartbeat.tck.LeaseCall.Kind;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The linearizability property catches a store whose acquisition is a read, then a write: on
 * histories from the property's own generator, within a bounded number of tries (about six
 * generated scenarios in ten catch it), while a correct store (the row-locked model with its
 * locked read) passes the same scenarios, and the racy store passes them too when one thread
 * plays them. heartbeat-core's MemoryLeaseLinearizabilityProperties runs the property on the
 * memory store.
 */
class RacyLeaseStoreTest {
  private static final int TRIES = 200;

  /** Three threads race for one free lease, then read it and release it. */
  private static final Scenario RACE = new Scenario(1, 3, List.of(
      List.of(new Step(Kind.ACQUIRE, 0, 5), new Step(Kind.READ, 0, 5),
          new Step(Kind.RELEASE, 0, 5)),
      List.of(new Step(Kind.ACQUIRE, 0, 5), new Step(Kind.READ, 0, 5),
          new Step(Kind.RELEASE, 0, 5)),
      List.of(new Step(Kind.ACQUIRE, 0, 5), new Step(Kind.READ, 0, 5),
          new Step(Kind.RELEASE, 0, 5))), List.of());

  @Test
  void aRaceForOneLeaseIsCaughtOnTheRacyStoreAndNotOnACorrectStore() {
    assertThat(firstViolation(List.of(RACE), RacyLeaseStore::new))
        .hasValueSatisfying(why -> assertThat(why).contains("no order of the calls on l0"));
    assertThat(firstViolation(List.of(RACE), RacyLeaseStoreTest::correct)).isEmpty();
  }

  @Test
  void thePropertysOwnScenariosCatchTheRacyStore() {
    List<Scenario> scenarios = new LeaseLinearizabilityProperties() {
      @Override
      protected StoreHarness harness() {
        throw new UnsupportedOperationException("only the generator is used");
      }
    }.scenarios().sampleStream().limit(TRIES).toList();

    Optional<String> caught = firstViolation(scenarios, RacyLeaseStore::new);

    assertThat(caught).isPresent();
    assertThat(firstViolation(scenarios, RacyLeaseStoreTest::correct)).isEmpty();
    // one thread at a time, the racy store is indistinguishable from a correct one
    List<Scenario> oneThread = scenarios.stream().map(s -> new Scenario(s.leases(), s.holders(),
        List.of(s.threads().getFirst()), s.advances())).toList();
    assertThat(firstViolation(oneThread, RacyLeaseStore::new)).isEmpty();
  }

  /** A correct lease store: the row-locked model that reads the row again under its lock. */
  private static HeartbeatStore correct(HeartbeatStore clock) {
    return new RowLockedLeaseStore(clock, CommitHold.NONE, true);
  }

  /** Plays each scenario (up to {@link #TRIES} times in all) until one has no linearization. */
  private static Optional<String> firstViolation(List<Scenario> scenarios,
      Function<HeartbeatStore, HeartbeatStore> wrap) {
    for (int i = 0; i < TRIES; i++) {
      Scenario scenario = scenarios.get(i % scenarios.size());
      ManualTime time = new ManualTime();
      try (HeartbeatStore store = wrap.apply(new ClockOnlyStore(time))) {
        List<LeaseCall> history = ConcurrentLeaseRun.play(store, time, scenario);
        Optional<String> why = LeaseLinearizability.violation(history, scenario.leases());
        if (why.isPresent()) {
          return why;
        }
      }
    }
    return Optional.empty();
  }
}
