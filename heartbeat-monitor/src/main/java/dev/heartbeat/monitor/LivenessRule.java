package dev.heartbeat.monitor;

import dev.heartbeat.AgentState;
import dev.heartbeat.Heartbeat;
import java.time.Duration;
import java.time.Instant;

/** Decides an agent's {@link AgentState} from what the store holds. */
public interface LivenessRule {

  /**
   * A short name, printed with every status so that the reader knows how states were judged.
   *
   * @return the name
   */
  String name();

  /**
   * Classifies one agent.
   *
   * @param latest its latest stored record
   * @param interval its beat interval (the one its beat carries, else as observed from
   *     its history), or {@code null} if unknown
   * @param storeNow the store's clock
   * @return its state
   */
  AgentState classify(Heartbeat latest, Duration interval, Instant storeNow);
}
