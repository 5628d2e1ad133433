package dev.heartbeat.redis;

import static dev.heartbeat.tck.Beats.plain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentState;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.StallDetector;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The engine's stall detector on the Redis store takes the store's live feed: a beat written by
 * another process is seen while the test clock stands still, so no poll of the store could
 * have brought it.
 */
class RedisDetectorFeedTest {
  @Test
  void theDetectorSeesBeatsThroughTheFeedWithoutPolling() {
    ManualTime time = new ManualTime();
    RedisStore store = (RedisStore) RedisHarness.INSTANCE.open(time, 20);
    try (Heartbeats hb = Heartbeats.builder().store(store).time(time).holderId("monitor")
        .closeTimeout(Duration.ofSeconds(5)).build()) {
      StallDetector detector = hb.detector();
      Await.until("the detector's first read", () -> detector.states() != null);
      store.register(plain("elsewhere", 1));
      Await.until("the beat seen through the feed", () -> detector.state("elsewhere").isPresent());
      assertThat(detector.state("elsewhere")).contains(AgentState.ALIVE);
    } finally {
      store.close();
    }
  }
}
