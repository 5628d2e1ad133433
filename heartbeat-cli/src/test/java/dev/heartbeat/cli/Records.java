package dev.heartbeat.cli;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.HeartbeatStore;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

/** Writes records through the SPI, as agents and candidates of the library would. */
final class Records {
  private Records() {}

  static Beat working(String agent, String incarnation, long sequence, String task,
      String progress) {
    return new Beat(agent, incarnation, sequence, Optional.ofNullable(task), AgentStatus.WORKING,
        OptionalDouble.of(0.25), Optional.ofNullable(progress), true, Optional.empty());
  }

  /** Registers {@code agent} and records {@code beats} more beats with changing progress. */
  static void agent(HeartbeatStore store, String agent, String task, int beats) {
    store.register(working(agent, agent + "-inc", 1, task, "step 1"));
    for (int i = 2; i <= beats + 1; i++) {
      store.record(working(agent, agent + "-inc", i, task, "step " + i)).orElseThrow();
    }
  }

  static void lease(HeartbeatStore store, String name, String holder, Duration ttl) {
    store.tryAcquire(name, holder, ttl).orElseThrow();
  }
}
