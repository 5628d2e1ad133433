package dev.heartbeat.core;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.ForwardingStore;
import java.util.List;
import java.util.Optional;

/**
 * A store that does not compare a beat with the stored state: a beat that a correct store must
 * ignore (another incarnation, a sequence not above the stored one, anything after LEFT)
 * overwrites the agent as a first registration would. Newer beats pass through unchanged, so
 * only the kit's stale-beat tests can see the difference.
 */
final class BrokenBeatStore extends ForwardingStore {
  BrokenBeatStore(HeartbeatStore store) {
    super(store);
  }

  @Override
  public Optional<Heartbeat> record(Beat beat) {
    Optional<Heartbeat> stored = store.agent(beat.agentId());
    if (stored.isEmpty() || newer(beat, stored.get())) {
      return store.record(beat);
    }
    store.forget(beat.agentId());
    return Optional.of(store.register(beat));
  }

  @Override
  public List<Optional<Heartbeat>> recordAll(List<Beat> beats) {
    return beats.stream().map(this::record).toList();
  }

  private static boolean newer(Beat beat, Heartbeat stored) {
    return beat.incarnation().equals(stored.incarnation()) && beat.sequence() > stored.sequence()
        && stored.status() != AgentStatus.LEFT;
  }
}
