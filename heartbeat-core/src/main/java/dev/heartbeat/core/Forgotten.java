package dev.heartbeat.core;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The last few batches of agents the detector forgot in the store, numbered, so that a read
 * sent before a batch's forget ended (and answered after) does not bring those agents back to be
 * forgotten again. Bounded: {@value #KEPT} batches; a read older than that was abandoned long ago.
 * Ticker thread only.
 */
final class Forgotten {
  static final int KEPT = 8;

  private final ArrayDeque<List<String>> batches = new ArrayDeque<>(KEPT);
  private long added;

  /** How many batches were forgotten so far. */
  long batches() {
    return added;
  }

  void add(List<String> agentIds) {
    if (batches.size() == KEPT) {
      batches.removeFirst();
    }
    batches.addLast(List.copyOf(agentIds));
    added++;
  }

  /** The agents of the batches forgotten after the first {@code count}. */
  Set<String> since(long count) {
    long newer = added - count;
    if (newer <= 0) {
      return Set.of();
    }
    Set<String> out = new HashSet<>();
    int skip = (int) Math.max(0, batches.size() - newer);
    int i = 0;
    for (List<String> batch : batches) {
      if (i++ >= skip) {
        out.addAll(batch);
      }
    }
    return out;
  }
}
