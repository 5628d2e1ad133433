package dev.heartbeat.redis;

import static dev.heartbeat.tck.Beats.plain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentState;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.StallDetector;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * The engine's stall detector on the Redis store takes the store's live feed: after its first
 * read, a leave written by another process is seen while the test clock stands still, so no poll
 * of the store could have brought it.
 */
class RedisDetectorFeedTest {
  @Test
  void theDetectorSeesBeatsThroughTheFeedWithoutPolling() {
    ManualTime time = new ManualTime();
    RedisStore store = (RedisStore) RedisHarness.INSTANCE.open(time, 20);
    try (Heartbeats hb = Heartbeats.builder().store(store).time(time).holderId("monitor")
        .closeTimeout(Duration.ofSeconds(5)).build()) {
      store.register(plain("elsewhere", 1));
      StallDetector detector = hb.detector();
      Await.until("the first read sees the agent", () -> detector.state("elsewhere").isPresent());
      // from here the clock stands still, so the detector polls no more: only the feed can tell
      // it that the agent left. The feed is opened asynchronously and a tail feed delivers only
      // what is written after it subscribed, so the agent keeps saying so until it is heard.
      long[] sequence = {1};
      int[] polls = {0};
      Await.until("the leave seen through the feed", () -> {
        if (detector.state("elsewhere").orElseThrow() == AgentState.LEFT) {
          return true;
        }
        if (polls[0]++ % 25 == 0) {
          store.record(new Beat("elsewhere", "inc-1", ++sequence[0], Optional.empty(),
              AgentStatus.LEFT, OptionalDouble.of(0),
              Optional.empty(), false, Optional.empty()));
        }
        return false;
      });
      assertThat(detector.state("elsewhere")).contains(AgentState.LEFT);
    } finally {
      store.close();
    }
  }
}
