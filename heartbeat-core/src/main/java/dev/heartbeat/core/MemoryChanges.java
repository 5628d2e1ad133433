package dev.heartbeat.core;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.spi.AgentChanges;
import dev.heartbeat.spi.ChangeCursor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The memory store's change index: each agent's last change (a beat, a registration, a forget)
 * under a change number the store assigns in order, one entry per agent. A read after a cursor
 * walks the entries above it. A forget stays in the index until another change of that agent, at
 * most {@value #MAX_FORGETS_KEPT} of them: past that the oldest is dropped and a cursor from
 * before it gets a complete answer. Not thread-safe: the store's lock guards it.
 */
final class MemoryChanges {
  /** At most this many forgets are kept for incremental readers. */
  static final int MAX_FORGETS_KEPT = 10_000;

  private final TreeMap<Long, String> byNumber = new TreeMap<>();
  private final Map<String, Long> lastChange = new HashMap<>();
  private final Set<String> forgets = new HashSet<>();
  private long count;
  /** The change number of the newest forget dropped: a cursor below it reads everything. */
  private long droppedTo;

  void changed(String agentId) {
    forgets.remove(agentId);
    move(agentId);
  }

  void forgotten(String agentId) {
    forgets.add(agentId);
    move(agentId);
    if (forgets.size() > MAX_FORGETS_KEPT) {
      dropOldestForget();
    }
  }

  private void move(String agentId) {
    Long previous = lastChange.put(agentId, ++count);
    if (previous != null) {
      byNumber.remove(previous);
    }
    byNumber.put(count, agentId);
  }

  private void dropOldestForget() {
    for (Iterator<Map.Entry<Long, String>> it = byNumber.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, String> e = it.next();
      if (forgets.remove(e.getValue())) {
        it.remove();
        lastChange.remove(e.getValue());
        droppedTo = e.getKey();
        return;
      }
    }
  }

  /** The answer for {@code cursor}: agents known by {@code latest}, read with {@code read}. */
  AgentChanges since(ChangeCursor cursor, Set<String> latest, Function<String, Heartbeat> read,
      Supplier<List<Heartbeat>> all) {
    if (cursor.isStart() || cursor.position() < droppedTo) {
      return new AgentChanges(all.get(), List.of(), true, new ChangeCursor(count));
    }
    List<Heartbeat> changed = new ArrayList<>();
    List<String> forgotten = new ArrayList<>();
    for (String id : byNumber.tailMap(cursor.position(), false).values()) {
      if (!latest.contains(id)) {
        forgotten.add(id);
      } else {
        Heartbeat h = read.apply(id); // null when damaged: skipped, as agents() skips it
        if (h != null) {
          changed.add(h);
        }
      }
    }
    changed.sort(Comparator.comparing(Heartbeat::agentId));
    return new AgentChanges(changed, forgotten, false, new ChangeCursor(count));
  }
}
