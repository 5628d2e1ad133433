package dev.heartbeat.core;

import dev.heartbeat.AgentRegistry;
import dev.heartbeat.AgentState;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.AgentView;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The registry: rows from one shared {@link Snapshot} of {@code agents()} and the store's clock,
 * with the running detector's states (or a simple judgement by age when none runs). The next
 * beat is due one of the agent's own intervals (carried by its beat) after its last beat; the
 * detector's assumed {@link DetectorConfig#expectedInterval()} stands in only for a beat that
 * carries none.
 */
final class RegistryImpl implements AgentRegistry {
  private final Snapshot<DetectorImpl.Poll> snapshot;
  private final TimeSource time;
  private final Supplier<DetectorImpl> detector;

  RegistryImpl(Snapshot<DetectorImpl.Poll> snapshot, TimeSource time,
      Supplier<DetectorImpl> detector) {
    this.snapshot = snapshot;
    this.time = time;
    this.detector = detector;
  }

  @Override
  public List<AgentView> agents() {
    DetectorImpl.Poll poll = snapshot.get();
    DetectorImpl running = detector.get();
    DetectorConfig config = running == null ? DetectorConfig.DEFAULTS : running.config();
    Map<String, AgentState> states = running == null ? Map.of() : running.states();
    Instant localNow = time.instant();
    return poll.agents().stream()
        .map(h -> view(h, poll.storeNow(), localNow, states.get(h.agentId()), config))
        .toList();
  }

  @Override
  public Optional<AgentView> agent(String agentId) {
    return agents().stream().filter(v -> v.agentId().equals(agentId)).findFirst();
  }

  static AgentView view(Heartbeat h, Instant storeNow, Instant localNow, AgentState known,
      DetectorConfig config) {
    Duration age = Duration.between(h.at(), storeNow);
    age = age.isNegative() ? Duration.ZERO : age;
    AgentState state = known != null ? known
        : h.status() == AgentStatus.LEFT ? AgentState.LEFT
        : age.compareTo(config.hardTimeout()) >= 0 ? AgentState.SUSPECT : AgentState.ALIVE;
    Instant due = localNow.plus(h.interval().orElse(config.expectedInterval())).minus(age);
    return new AgentView(h.agentId(), h.incarnation(), h.sequence(), state, h.status(),
        h.taskId(), h.progress(), h.progressAt(), h.cpu(), age, due, h.at());
  }
}
