package dev.heartbeat.core;

import dev.heartbeat.AgentRegistry;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.HeartbeatsConfig;
import dev.heartbeat.LeaseManager;
import dev.heartbeat.StallDetector;
import dev.heartbeat.TickerStats;
import dev.heartbeat.spi.HeartbeatStore;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Heartbeats} implementation: wires the store, the ticker, the agent and election
 * schedulers, and shuts them down in order.
 */
final class Engine implements Heartbeats {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  private final HeartbeatStore store;
  private final boolean closeStore;
  private final HeartbeatsConfig config;
  private final StoreCalls calls;
  private final AgentScheduler agents;
  private final CampaignScheduler campaigns;
  private final LeaseManagerImpl leases;
  private final Detection detection;
  private final Ticker ticker;
  private final AtomicBoolean closed = new AtomicBoolean();

  Engine(HeartbeatStore store, boolean closeStore, HeartbeatsConfig config) {
    this.store = store;
    this.closeStore = closeStore;
    this.config = config;
    this.calls = new StoreCalls(store.describe(), config.time(), this::onTicker);
    this.agents = new AgentScheduler(this);
    this.campaigns = new CampaignScheduler(this);
    this.leases = new LeaseManagerImpl(this);
    this.detection = new Detection(this);
    this.ticker = new Ticker(config.holderId(), config.time(),
        List.of(campaigns, agents, detection), calls);
  }

  Engine start() {
    ticker.start();
    LOG.info("heartbeat started on {} as {} (call timeout {}, close timeout {}, agents left or "
        + "dead forgotten after {})", store.describe(), config.holderId(), config.callTimeout(),
        config.closeTimeout(), config.forgetAfter());
    return this;
  }

  @Override
  public HeartbeatAgent.Builder agent(String id) {
    checkOpen();
    return new AgentBuilderImpl(this, id);
  }

  @Override
  public LeaseManager leases() {
    return leases;
  }

  @Override
  public AgentRegistry registry() {
    return detection.registry();
  }

  @Override
  public StallDetector detector() {
    checkOpen();
    return detection.start(DetectorConfig.DEFAULTS, false);
  }

  @Override
  public StallDetector detector(DetectorConfig config) {
    checkOpen();
    return detection.start(config, true);
  }

  Detection detection() {
    return detection;
  }

  @Override
  public HeartbeatStore store() {
    return store;
  }

  @Override
  public HeartbeatsConfig config() {
    return config;
  }

  @Override
  public TickerStats ticker() {
    return ticker.stats();
  }

  private boolean onTicker() {
    return ticker != null && ticker.isTickerThread();
  }

  Ticker tickerLoop() {
    return ticker;
  }

  StoreCalls calls() {
    return calls;
  }

  AgentScheduler agents() {
    return agents;
  }

  CampaignScheduler campaigns() {
    return campaigns;
  }

  void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this Heartbeats (" + config.holderId() + " on "
          + store.describe() + ") is closed");
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ticker.stop(config.closeTimeout());
    detection.close();
    for (Campaign campaign : campaigns.all()) {
      campaign.close();
    }
    agents.leave(agents.all());
    if (closeStore) {
      try {
        store.close();
      } catch (RuntimeException e) {
        LOG.warn("closing {} failed", store.describe(), e);
      }
    }
    LOG.info("heartbeat on {} as {} closed", store.describe(), config.holderId());
  }
}
