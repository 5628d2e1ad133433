package dev.heartbeat.tck;

import static org.assertj.core.api.Assertions.fail;

import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.ConcurrentLeaseRun.Scenario;
import dev.heartbeat.tck.ConcurrentLeaseRun.Step;
import dev.heartbeat.tck.LeaseCall.Kind;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Several threads call one store at once, and what the store answered must be linearizable: some
 * order of the calls, one at a time and keeping real time (a call that returned before another
 * started comes first), must give every answer under the sequential lease model of
 * {@link LeaseModelProperties} (a free or expired lease is acquired with a token greater than
 * every token issued before; a held one is not; renew and release only by the holder with its
 * token, renew only before expiry). A store whose compare-and-set is not atomic (a read, then a
 * write) fails here, which the single-threaded model cannot see.
 *
 * <p>Each try: 2 to 4 threads, each with 3 to 8 calls ({@code tryAcquire}, {@code renew},
 * {@code renewAll}, {@code release}, {@code lease}) on 1 or 2 leases by 2 or 3 holders (thread
 * {@code t} is holder {@code t % holders}, renewing and releasing with the token it last
 * acquired). The calls are cut into 1 to 3 rounds: the threads start each round together at a
 * barrier, and between rounds, with no call running, the test moves the {@link ManualTime} by 0 to
 * 60 seconds, so that leases (TTL 10 to 60 seconds) expire between rounds and never during one.
 * TTLs and moves are multiples of {@value #STEP_SECONDS} seconds: the real time that a server's
 * clock also passes during a try, far less than that, cannot decide an expiry. The
 * history (each call's invocation and return, ordered by one shared counter) is searched for a
 * linearization; when there is none the property fails with the history printed, one call a line.
 *
 * <p>Cost: {@value #TRIES} tries, each one {@code open} and at most 32 calls (about 18 on
 * average), up to four at once: under a second on the memory store, and on a server store fewer
 * store round trips than {@link LeaseModelProperties} (150 tries of up to 40 calls, one at a time),
 * so well under 30 seconds.
 */
public abstract class LeaseLinearizabilityProperties {
  /** How many histories each store is tried with. */
  public static final int TRIES = 100;

  /** TTLs and clock moves are multiples of this many seconds. */
  public static final int STEP_SECONDS = 10;

  /** For one subclass per store kind. */
  protected LeaseLinearizabilityProperties() {}

  /**
   * The store under test.
   *
   * @return the harness that opens a fresh store for each try
   */
  protected abstract StoreHarness harness();

  @Provide
  Arbitrary<Scenario> scenarios() {
    return Combinators.combine(Arbitraries.integers().between(1, 2),
            Arbitraries.integers().between(2, 3), Arbitraries.integers().between(2, 4),
            Arbitraries.integers().between(1, 3))
        .flatAs((leases, holders, threads, rounds) -> Combinators.combine(
                steps(leases).list().ofMinSize(3).ofMaxSize(8).list().ofSize(threads),
                Arbitraries.integers().between(0, 6).map(n -> n * STEP_SECONDS).list()
                    .ofSize(rounds - 1))
            .as((plans, advances) -> new Scenario(leases, holders, plans, advances)));
  }

  private static Arbitrary<Step> steps(int leases) {
    Arbitrary<Kind> kind = Arbitraries.frequency(Tuple.of(4, Kind.ACQUIRE),
        Tuple.of(3, Kind.RENEW), Tuple.of(1, Kind.RENEW_ALL), Tuple.of(2, Kind.RELEASE),
        Tuple.of(3, Kind.READ));
    return Combinators.combine(kind, Arbitraries.integers().between(0, leases - 1),
        Arbitraries.integers().between(1, 6).map(n -> n * STEP_SECONDS)).as(Step::new);
  }

  @Property(tries = TRIES)
  void concurrentCallsHaveALinearization(@ForAll("scenarios") Scenario scenario) {
    ManualTime time = new ManualTime();
    HeartbeatStore store = harness().open(time, 10);
    try {
      List<LeaseCall> history = ConcurrentLeaseRun.play(store, time, scenario);
      Optional<String> violation = LeaseLinearizability.violation(history, scenario.leases());
      violation.ifPresent(why -> fail(store.describe() + ": " + why));
    } finally {
      store.close();
    }
  }
}
