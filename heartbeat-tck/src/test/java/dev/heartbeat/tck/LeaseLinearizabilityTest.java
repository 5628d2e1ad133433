package dev.heartbeat.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.tck.LeaseCall.Answer;
import dev.heartbeat.tck.LeaseCall.Kind;
import dev.heartbeat.tck.LeaseCall.Request;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The checker on histories written by hand, where the right verdict is known. */
class LeaseLinearizabilityTest {

  private static LeaseCall call(int thread, Request request, Answer answer, long invoked,
      long returned) {
    return new LeaseCall(thread, request, answer, invoked, returned);
  }

  private static Request acquire(int holder, int ttl) {
    return new Request(Kind.ACQUIRE, 0, holder, 0, ttl);
  }

  private static Request release(int holder, long token) {
    return new Request(Kind.RELEASE, 0, holder, token, 0);
  }

  private static Request read() {
    return new Request(Kind.READ, 0, -1, 0, 0);
  }

  private static Answer token(int holder, long token) {
    return Answer.lease(holder, token, 5);
  }

  /** Whether the model explains the calls taken one at a time in this order. */
  private static boolean sequentiallyExplains(List<LeaseCall> order) {
    LeaseModel state = LeaseModel.start(1);
    for (LeaseCall c : order) {
      state = state.after(c.request(), c.answer());
      if (state == null) {
        return false;
      }
    }
    return true;
  }

  @Test
  void aHistoryExplainedOnlyByAnOrderThatIsNeitherInvocationNorReturnOrderIsFound() {
    // round 1: a read spanning everything sees h0's lease; h0's slow acquire must come first,
    // although it was invoked after the read and returned after h1's refused acquire
    LeaseCall readAll = call(2, read(), Answer.lease(0, 1, 5), 1, 9);
    LeaseCall slowAcquire = call(0, acquire(0, 5), token(0, 1), 2, 8);
    LeaseCall refused = call(1, acquire(1, 5), Answer.NO, 3, 4);
    LeaseCall advance = call(-1, Request.advance(5), Answer.YES, 10, 11);
    // round 2: h0's lease expired; its release fails, so h1's acquire, invoked later and
    // overlapping it, must come before it
    LeaseCall lateRelease = call(0, release(0, 1), Answer.NO, 12, 19);
    LeaseCall takeOver = call(1, acquire(1, 5), token(1, 2), 13, 14);
    List<LeaseCall> history = List.of(readAll, slowAcquire, refused, advance, lateRelease,
        takeOver);

    Optional<List<LeaseCall>> order = LeaseLinearizability.linearization(history, 1);

    assertThat(order).isPresent();
    List<LeaseCall> found = order.get();
    assertThat(found.getFirst()).isEqualTo(slowAcquire);
    assertThat(found.indexOf(takeOver)).isLessThan(found.indexOf(lateRelease));
    assertThat(found.indexOf(advance)).isEqualTo(3);
    assertThat(sequentiallyExplains(found)).isTrue();
    assertThat(sequentiallyExplains(sorted(history, Comparator.comparingLong(
        LeaseCall::invoked)))).as("invocation order").isFalse();
    assertThat(sequentiallyExplains(sorted(history, Comparator.comparingLong(
        LeaseCall::returned)))).as("return order").isFalse();
    assertThat(LeaseLinearizability.violation(history, 1)).isEmpty();
  }

  @Test
  void aReadThatSawALeaseBeforeItWasAcquiredHasNoLinearization() {
    // one at a time, acquire-then-read explains both answers; but the read returned before the
    // acquire was invoked, so real time forbids that order
    List<LeaseCall> history = List.of(
        call(1, read(), Answer.lease(0, 1, 5), 1, 2),
        call(0, acquire(0, 5), token(0, 1), 3, 4));

    Optional<String> violation = LeaseLinearizability.violation(history, 1);

    assertThat(violation).hasValueSatisfying(why -> assertThat(why)
        .contains("no order of the calls on l0")
        .contains("c0   [  1,  2] t1     lease(l0) -> h0 token 1 ttl 5s")
        .contains("c1   [  3,  4] t0     tryAcquire(l0, h0, 5s) -> token 1 for h0")
        .contains("(0 of 2 calls)")
        .contains("the model after it: now 0s; l0: free, tokens issued up to 0"));
    assertThat(sequentiallyExplains(List.of(history.get(1), history.get(0)))).isTrue();
    // the same calls overlapping in time are linearizable
    List<LeaseCall> overlapping = List.of(
        call(1, read(), Answer.lease(0, 1, 5), 1, 4),
        call(0, acquire(0, 5), token(0, 1), 2, 3));
    assertThat(LeaseLinearizability.violation(overlapping, 1)).isEmpty();
  }

  @Test
  void twoHoldersAcquiringOneLeaseAtOnceHaveNoLinearization() {
    List<LeaseCall> history = List.of(
        call(0, acquire(0, 5), token(0, 1), 1, 4),
        call(1, acquire(1, 5), token(1, 2), 2, 3));

    assertThat(LeaseLinearizability.violation(history, 1)).isPresent();
    assertThat(LeaseLinearizability.linearization(history, 1)).isEmpty();
  }

  @Test
  void aTokenThatIsNotAboveAnEarlierOneHasNoLinearization() {
    List<LeaseCall> history = List.of(
        call(0, acquire(0, 5), token(0, 2), 1, 2),
        call(0, release(0, 2), Answer.YES, 3, 4),
        call(1, acquire(1, 5), token(1, 2), 5, 6));

    assertThat(LeaseLinearizability.violation(history, 1)).hasValueSatisfying(why ->
        assertThat(why).contains("(2 of 3 calls): c0 c1"));
  }

  @Test
  void leasesAreCheckedOnTheirOwnWithTheClockMovesOfBoth() {
    // l1 is fine; l0 is acquired again before its lease expired, which the advance proves
    List<LeaseCall> history = List.of(
        call(0, new Request(Kind.ACQUIRE, 1, 0, 0, 5), Answer.lease(0, 1, 5), 1, 2),
        call(0, acquire(0, 5), token(0, 1), 3, 4),
        call(-1, Request.advance(4), Answer.YES, 5, 6),
        call(1, acquire(1, 5), token(1, 2), 7, 8));

    assertThat(LeaseLinearizability.violation(history, 2)).hasValueSatisfying(why ->
        assertThat(why).contains("calls on l0").contains("time.advance(4s)")
            .doesNotContain("tryAcquire(l1"));
    List<LeaseCall> expired = List.of(history.get(0), history.get(1),
        call(-1, Request.advance(5), Answer.YES, 5, 6), history.get(3));
    assertThat(LeaseLinearizability.violation(expired, 2)).isEmpty();
  }

  private static List<LeaseCall> sorted(List<LeaseCall> calls, Comparator<LeaseCall> by) {
    return calls.stream().sorted(by).toList();
  }
}
