package dev.heartbeat.core;

import dev.heartbeat.AgentConfig;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.spi.Checks;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Collects an agent's settings; {@link #start()} validates and hands it to the ticker. */
final class AgentBuilderImpl implements HeartbeatAgent.Builder {
  private static final Logger LOG = LoggerFactory.getLogger(AgentBuilderImpl.class);

  private final Engine engine;
  private final String id;
  private AgentConfig config;
  private String taskId;

  AgentBuilderImpl(Engine engine, String id) {
    this.engine = engine;
    this.id = Checks.id("id", id);
    this.config = engine.config().agentDefaults();
  }

  @Override
  public HeartbeatAgent.Builder interval(Duration interval) {
    config = config.withInterval(interval);
    return this;
  }

  @Override
  public HeartbeatAgent.Builder config(AgentConfig config) {
    this.config = Checks.notNull("config", config);
    return this;
  }

  @Override
  public HeartbeatAgent.Builder task(String taskId) {
    this.taskId = Checks.id("taskId", taskId);
    return this;
  }

  @Override
  public HeartbeatAgent start() {
    engine.checkOpen();
    Report initial = taskId == null ? Report.IDLE : Report.IDLE.working(taskId, null);
    AgentImpl agent = new AgentImpl(id, config, initial, engine,
        engine.config().time().nanoTime());
    engine.agents().add(agent);
    if (engine.isClosed()) {
      agent.close(); // close() ran between the check and the add: leave nothing behind
      engine.checkOpen();
    }
    LOG.info("agent {} (incarnation {}) beats every {} to {}, backing off up to {} while it "
        + "fails", id, agent.incarnation(), config.interval(), engine.store().describe(),
        config.maxBackoff());
    return agent;
  }
}
