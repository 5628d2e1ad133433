package dev.heartbeat.core;

import dev.heartbeat.AgentRegistry;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.StallDetector;
import dev.heartbeat.spi.AgentChanges;
import dev.heartbeat.spi.ChangeCursor;
import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.HeartbeatFeed;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's part for detection: a {@link Tickable} on the ticker from the start, idle until
 * the first {@code detector()} call starts the one {@link DetectorImpl}; and the registry.
 */
final class Detection implements Tickable {
  private static final Logger LOG = LoggerFactory.getLogger(Detection.class);

  private final Engine engine;
  private final AtomicReference<DetectorImpl> running = new AtomicReference<>();
  private final RegistryImpl registry;

  Detection(Engine engine) {
    this.engine = engine;
    this.registry = new RegistryImpl(new Snapshot<>("agents()", this::read, engine.calls(),
        engine.config().time(), Duration.ofMillis(AgentRegistry.SNAPSHOT_MAX_AGE_MILLIS),
        engine.config().callTimeout()), engine.config().time(), running::get);
  }

  AgentRegistry registry() {
    return registry;
  }

  /** The running detector, started with {@code config} if none runs yet. */
  StallDetector start(DetectorConfig config, boolean exact) {
    Checks.notNull("config", config);
    DetectorImpl current = running.get();
    if (current == null) {
      HeartbeatFeed feed = openFeed();
      DetectorImpl fresh = new DetectorImpl(config, engine.config().time(),
          engine.store().describe(), reads, engine.tickerLoop(), feed,
          engine.config().forgetAfter(), this::forget);
      if (running.compareAndSet(null, fresh)) {
        LOG.info("stall detector started on {} ({}): {}; a crash is detected within {}",
            engine.store().describe(), feed == null ? "polling" : "live feed and polling",
            config, config.worstCaseDetection());
        engine.tickerLoop().wake();
        return fresh;
      }
      fresh.close();
      current = running.get();
    }
    if (exact && !current.config().equals(config)) {
      throw new IllegalStateException("a stall detector already runs with " + current.config()
          + "; cannot start another with config " + config);
    }
    return current;
  }

  /** The running detector, or null (tests). */
  DetectorImpl detector() {
    return running.get();
  }

  private HeartbeatFeed openFeed() {
    try {
      return engine.store().feed().orElse(null);
    } catch (RuntimeException e) {
      LOG.warn("the live feed of {} could not be opened; the stall detector polls only",
          engine.store().describe(), e);
      return null;
    }
  }

  private CompletableFuture<DetectorImpl.Poll> read() {
    return engine.calls().async("agents()",
        () -> new DetectorImpl.Poll(engine.store().agents(), engine.store().now()));
  }

  /** The detector's reads: every agent now and then, otherwise what changed. */
  private final DetectorImpl.Reads reads = new DetectorImpl.Reads() {
    @Override
    public CompletableFuture<DetectorImpl.Poll> all() {
      return read();
    }

    @Override
    public CompletableFuture<DetectorImpl.Poll> since(ChangeCursor cursor) {
      return engine.calls().async("agentsChangedSince()", () -> {
        AgentChanges changes = engine.store().agentsChangedSince(cursor);
        return DetectorImpl.Poll.of(changes, engine.store().now());
      });
    }
  };

  private CompletableFuture<?> forget(List<String> agentIds) {
    return engine.calls().async("forget(" + agentIds.size() + " agents)", () -> {
      agentIds.forEach(engine.store()::forget);
      return null;
    });
  }

  @Override
  public long tick(long nowNanos) {
    DetectorImpl detector = running.get();
    return detector == null ? Long.MAX_VALUE : detector.tick(nowNanos);
  }

  void close() {
    DetectorImpl detector = running.get();
    if (detector != null) {
      detector.close();
    }
  }
}
