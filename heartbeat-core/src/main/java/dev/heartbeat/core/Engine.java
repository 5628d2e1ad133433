package dev.heartbeat.core;

import dev.heartbeat.AgentRegistry;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.HeartbeatsConfig;
import dev.heartbeat.LeaseManager;
import dev.heartbeat.StallDetector;
import dev.heartbeat.StoreCallListener;
import dev.heartbeat.TaskQueue;
import dev.heartbeat.TaskWorker;
import dev.heartbeat.TickerStats;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.TaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
  private final LeaseWatches watches;
  private final Ticker ticker;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** The workers started and not closed; each also counts as an agent. */
  private final Set<TaskWorkerImpl> workers = ConcurrentHashMap.newKeySet();

  Engine(HeartbeatStore store, boolean closeStore, HeartbeatsConfig config) {
    this.store = store;
    this.closeStore = closeStore;
    this.config = config;
    this.calls = new StoreCalls(store.describe(), config.time(), this::onTicker);
    this.agents = new AgentScheduler(this);
    this.campaigns = new CampaignScheduler(this);
    this.leases = new LeaseManagerImpl(this);
    this.detection = new Detection(this);
    this.watches = new LeaseWatches(this);
    this.ticker = new Ticker(config.holderId(), config.time(),
        List.of(campaigns, agents, detection, watches), calls);
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
  public TaskQueue tasks(String queue) {
    dev.heartbeat.spi.Checks.id("queue", queue);
    checkOpen();
    return new TaskQueueImpl(this, taskStore(), queue);
  }

  @Override
  public TaskWorker.Builder worker(String id) {
    dev.heartbeat.spi.Checks.id("id", id);
    checkOpen();
    return new WorkerBuilderImpl(this, taskStore(), id);
  }

  private TaskStore taskStore() {
    return store.tasks().orElseThrow(() -> new IllegalStateException(store.describe()
        + " keeps no tasks (its tasks() is empty): use a store that implements TaskStore"));
  }

  void workerStarted(TaskWorkerImpl worker) {
    workers.add(worker);
  }

  void workerClosed(TaskWorkerImpl worker) {
    workers.remove(worker);
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
    return detector(DetectorConfig.DEFAULTS, false);
  }

  @Override
  public StallDetector detector(DetectorConfig config) {
    return detector(config, true);
  }

  private StallDetector detector(DetectorConfig config, boolean exact) {
    checkOpen();
    StallDetector detector = detection.start(config, exact);
    if (closed.get()) {
      detection.close(); // close() ran meanwhile: its feed is not left open
      checkOpen();
    }
    return detector;
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

  @Override
  public StoreCallListener.Subscription onStoreCall(StoreCallListener listener) {
    return calls.onCall(listener);
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

  LeaseWatches leaseWatches() {
    return watches;
  }

  CampaignScheduler campaigns() {
    return campaigns;
  }

  boolean isClosed() {
    return closed.get();
  }

  void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this Heartbeats (" + config.holderId() + " on "
          + store.describe() + ") is closed");
    }
  }

  /**
   * Closes in this order, all of it bounded by one close timeout of real time: every leadership
   * stops leading and its listener is told {@code revoked(RESIGNED)} at once; then the releases
   * of the leases and the leave of the agents run in parallel, each release once its listener
   * has returned; the ticker, which enforces every local deadline, stops last; then the store.
   */
  @Override
  public void close() {
    close(config.closeTimeout());
  }

  @Override
  public void close(Duration timeout) {
    dev.heartbeat.spi.Checks.positive("timeout", timeout);
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (TaskWorkerImpl worker : List.copyOf(workers)) {
      worker.close(Duration.ZERO); // release their attempts at once; they leave as agents
    }
    detection.close();
    watches.close();
    List<Campaign.Resignation> resigned = new ArrayList<>();
    List<Campaign> resigning = new ArrayList<>();
    for (Campaign campaign : campaigns.all()) {
      Campaign.Resignation r = campaign.resign();
      if (r != null) {
        resigned.add(r);
        resigning.add(campaign);
      }
    }
    List<Thread> closing = new ArrayList<>();
    for (int i = 0; i < resigned.size(); i++) {
      Campaign campaign = resigning.get(i);
      Campaign.Resignation r = resigned.get(i);
      closing.add(Thread.ofVirtual().name("heartbeat-close-" + campaign.name())
          .start(() -> campaign.finish(r, deadline)));
    }
    List<AgentImpl> leaving = agents.all();
    if (!leaving.isEmpty()) {
      closing.add(Thread.ofVirtual().name("heartbeat-close-agents")
          .start(() -> agents.leave(leaving)));
    }
    for (Thread t : closing) {
      try {
        if (!t.join(remaining(deadline))) {
          LOG.warn("closing {} did not end within the close timeout {}", t.getName(), timeout);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    ticker.stop(remaining(deadline));
    if (closeStore) {
      try {
        store.close();
      } catch (RuntimeException e) {
        LOG.warn("closing {} failed", store.describe(), e);
      }
    }
    LOG.info("heartbeat on {} as {} closed", store.describe(), config.holderId());
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }
}
