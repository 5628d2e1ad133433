package dev.heartbeat.core;

import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentState;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.HeartbeatsConfig;
import dev.heartbeat.core.internal.CoreInternals;
import dev.heartbeat.core.internal.DetectorJudge;
import dev.heartbeat.spi.HeartbeatStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/**
 * What this package opens to {@link CoreInternals}: the engine for the service providers, the
 * detector's judgement for the benchmarks. Installed when this class initialises.
 */
final class InternalAccess implements CoreInternals.Access {
  static {
    CoreInternals.install(new InternalAccess());
  }

  private InternalAccess() {}

  @Override
  public Heartbeats start(HeartbeatStore store, boolean closeStore, HeartbeatsConfig config) {
    return new Engine(store, closeStore, config).start();
  }

  @Override
  public DetectorJudge detector(DetectorConfig config, InstantSource wall) {
    DetectorCore core = new DetectorCore(config, wall);
    return new DetectorJudge() {
      @Override
      public List<AgentChange> observe(Heartbeat beat, long arrival, Instant storeNow) {
        return core.observe(beat, arrival, storeNow);
      }

      @Override
      public List<AgentChange> evaluate(long now) {
        return core.evaluate(now);
      }

      @Override
      public void shift(long nanos, long now) {
        core.shift(nanos, now);
      }

      @Override
      public void publish() {
        core.publish();
      }

      @Override
      public Map<String, AgentState> states() {
        return core.states();
      }
    };
  }
}
