package dev.heartbeat.cli;

import dev.heartbeat.DetectorConfig;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.monitor.LivenessRule;
import dev.heartbeat.spi.HeartbeatStore;

/**
 * A {@link Heartbeats} of the command's own on a store it opened, that runs only the stall
 * detector: no agent, no campaign. Closing it leaves the store open.
 */
final class Observer implements AutoCloseable {
  private final Heartbeats heartbeats;
  private final DetectorRule rule;

  Observer(HeartbeatStore store, DetectorConfig config, LivenessRule fallback) {
    this.heartbeats = Heartbeats.builder().store(store)
        .holderId("heartbeat-cli-" + ProcessHandle.current().pid()).build();
    try {
      this.rule = new DetectorRule(heartbeats.detector(config), fallback);
    } catch (RuntimeException e) {
      heartbeats.close();
      throw e;
    }
  }

  LivenessRule rule() {
    return rule;
  }

  @Override
  public void close() {
    heartbeats.close();
  }
}
