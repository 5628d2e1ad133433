package dev.heartbeat.cli;

import dev.heartbeat.AgentConfig;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.LeaseConfig;
import dev.heartbeat.monitor.BoundsRule;
import dev.heartbeat.monitor.LivenessRule;
import dev.heartbeat.monitor.Thresholds;
import java.time.Duration;

/** The short timings that let the demo show a whole failover in well under a minute. */
final class DemoTiming {
  /** Workers beat (and report progress) this often. */
  static final Duration BEAT = Duration.ofMillis(500);
  static final AgentConfig AGENT = AgentConfig.of(BEAT);
  /** Lease TTL 3 s: renewed every 1 s, the holder steps down 2 s after its last renewal. */
  static final LeaseConfig LEASE = LeaseConfig.ofTtl(Duration.ofSeconds(3));
  /** The stall detector matched to the beat, with a stall timeout short enough to watch. */
  static final Thresholds THRESHOLDS = new Thresholds(null, null, Duration.ofSeconds(3));
  static final DetectorConfig DETECTOR = THRESHOLDS.detector(BEAT);
  /** Agents the detector has not judged yet are judged by its bounds. */
  static final LivenessRule FALLBACK = new BoundsRule(THRESHOLDS, BEAT);
  /** How often the demo reads the store. */
  static final Duration REFRESH = Duration.ofMillis(250);
  /** How long everything may take to start (JVMs on a busy machine included). */
  static final Duration STARTUP = Duration.ofSeconds(40);
  /**
   * How much longer startup may take on Redis: a Redis store that finds no epoch marker (a first
   * start cannot be told from a data loss) hands out no lease for one maximum lease TTL, 60 s by
   * default.
   */
  static final Duration REDIS_QUARANTINE = Duration.ofSeconds(60);
  /** How long one leader and three live workers must last before the strike. */
  static final Duration STEADY = Duration.ofSeconds(3);
  /** How long the outcomes of the strike may take to show. */
  static final Duration OUTCOMES = Duration.ofSeconds(30);
  /** A node ends by itself after this, whatever happens to the demo. */
  static final Duration NODE_LIFETIME = Duration.ofMinutes(3);
  /** The longest wait for one node to stop when the demo ends. */
  static final Duration NODE_STOP = Duration.ofSeconds(10);

  private DemoTiming() {}
}
