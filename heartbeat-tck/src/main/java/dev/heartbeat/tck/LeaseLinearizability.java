package dev.heartbeat.tck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a recorded concurrent history of lease calls is linearizable: whether some order of
 * the calls, one at a time, gives every answer the store gave when run against
 * {@link LeaseModel}, while keeping real time (a call that returned before another was invoked
 * comes first; calls that overlapped may come in either order). A renewal batch counts as one
 * call per element, each atomic on its own, as the SPI promises.
 *
 * <p>The search is Wing and Gong's: take next any call that no pending call returned before,
 * apply it to the model, go on; back up when the model disagrees with the answer. It remembers
 * each (model state, set of calls done) it has tried, so each is explored once. Leases are
 * independent objects, so each lease's calls are checked on their own (with the clock moves,
 * which overlap nothing): a history is linearizable when each of its objects' is (Herlihy and
 * Wing's locality). The search gives up, with {@link IllegalStateException}, after
 * {@value #MAX_VISITS} states: a bound far above what the kit's histories need.
 */
final class LeaseLinearizability {
  static final int MAX_VISITS = 1_000_000;

  private final List<LeaseCall> calls;
  private final int[] path;
  private final Set<Visit> tried = new HashSet<>();
  private int[] deepest = new int[0];
  private LeaseModel deepestState;
  private int visits;

  private record Visit(LeaseModel state, BitSet done) {}

  private LeaseLinearizability(List<LeaseCall> calls) {
    this.calls = calls;
    this.path = new int[calls.size()];
  }

  /**
   * An order of {@code history} that the model explains, call by call, per lease: the
   * concatenation of each lease's order, lease 0 first (clock moves appear in each).
   *
   * @return empty when there is none
   */
  static Optional<List<LeaseCall>> linearization(List<LeaseCall> history, int leases) {
    List<LeaseCall> order = new ArrayList<>();
    for (int lease = 0; lease < leases; lease++) {
      LeaseLinearizability search = new LeaseLinearizability(callsOn(history, lease));
      if (!search.run(LeaseModel.start(leases))) {
        return Optional.empty();
      }
      for (int i : search.path) {
        order.add(search.calls.get(i));
      }
    }
    return Optional.of(order);
  }

  /**
   * Why {@code history} has no linearization, readably: the calls of the lease that has none,
   * in the order they were invoked, a longest prefix the model explains and its state then.
   *
   * @return empty when the history is linearizable
   */
  static Optional<String> violation(List<LeaseCall> history, int leases) {
    for (int lease = 0; lease < leases; lease++) {
      LeaseLinearizability search = new LeaseLinearizability(callsOn(history, lease));
      if (!search.run(LeaseModel.start(leases))) {
        return Optional.of(search.report(lease));
      }
    }
    return Optional.empty();
  }

  private static List<LeaseCall> callsOn(List<LeaseCall> history, int lease) {
    return history.stream()
        .filter(c -> c.request().kind() == LeaseCall.Kind.ADVANCE || c.request().lease() == lease)
        .sorted(Comparator.comparingLong(LeaseCall::invoked))
        .toList();
  }

  private boolean run(LeaseModel start) {
    deepestState = start;
    return search(start, new BitSet(calls.size()), 0);
  }

  private boolean search(LeaseModel state, BitSet done, int depth) {
    if (depth > deepest.length) {
      deepest = Arrays.copyOf(path, depth);
      deepestState = state;
    }
    if (depth == calls.size()) {
      return true;
    }
    if (!tried.add(new Visit(state, (BitSet) done.clone()))) {
      return false;
    }
    if (++visits > MAX_VISITS) {
      throw new IllegalStateException("history too large to check: more than " + MAX_VISITS
          + " states for " + calls.size() + " calls");
    }
    long firstReturn = Long.MAX_VALUE;
    for (int i = done.nextClearBit(0); i < calls.size(); i = done.nextClearBit(i + 1)) {
      firstReturn = Math.min(firstReturn, calls.get(i).returned());
    }
    // calls are sorted by invocation: past the first return of a pending call, none may go next
    for (int i = done.nextClearBit(0); i < calls.size() && calls.get(i).invoked() < firstReturn;
        i = done.nextClearBit(i + 1)) {
      LeaseCall call = calls.get(i);
      LeaseModel next = state.after(call.request(), call.answer());
      if (next != null) {
        done.set(i);
        path[depth] = i;
        if (search(next, done, depth + 1)) {
          return true;
        }
        done.clear(i);
      }
    }
    return false;
  }

  private String report(int lease) {
    StringBuilder out = new StringBuilder("no order of the calls on l" + lease
        + " explains what the store answered (tickets [invoked, returned]: a call that returned"
        + " before another was invoked must come first; overlapping calls may come in any"
        + " order)\n");
    for (int i = 0; i < calls.size(); i++) {
      out.append("  ").append(calls.get(i).line(i)).append('\n');
    }
    out.append("a longest prefix the model explains (").append(deepest.length).append(" of ")
        .append(calls.size()).append(" calls):");
    for (int i : deepest) {
      out.append(" c").append(i);
    }
    out.append("\nthe model after it: ").append(deepestState).append('\n');
    out.append("none of the calls that may come next fits it");
    return out.toString();
  }
}
