package dev.heartbeat.core;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.spi.AgentChanges;
import dev.heartbeat.spi.ChangeCursor;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.ForwardingStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A store whose incremental read is off by one: its cursor is the newest beat time it answered,
 * and it answers the agents stamped strictly after it, so a beat stamped at the very instant of
 * the cursor but written after the read is never answered. Forgets it tells right (the ids it
 * answered before and no longer finds), so that only the stamps can give it away.
 */
final class BrokenChangesStore extends ForwardingStore {
  private final Set<String> answered = new HashSet<>();

  BrokenChangesStore(HeartbeatStore store) {
    super(store);
  }

  @Override
  public synchronized AgentChanges agentsChangedSince(ChangeCursor cursor) {
    List<Heartbeat> all = store.agents();
    long newest = cursor.position();
    List<Heartbeat> changed = new ArrayList<>();
    Set<String> present = new HashSet<>();
    for (Heartbeat h : all) {
      present.add(h.agentId());
      long at = h.at().getEpochSecond() * 1_000_000 + h.at().getNano() / 1000;
      if (cursor.isStart() || at > cursor.position()) { // the bug: > where >= is needed
        changed.add(h);
      }
      newest = Math.max(newest, at);
    }
    List<String> forgotten = new ArrayList<>(answered);
    forgotten.removeAll(present);
    answered.clear();
    answered.addAll(present);
    return new AgentChanges(changed, forgotten, cursor.isStart(), new ChangeCursor(newest));
  }
}
