package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code acquire}'s timeout is checked like every other argument (a negative one was accepted). */
class AcquireArgumentsTest {
  private final ManualTime time = new ManualTime();
  private final MemoryStore store = new MemoryStore(time, 100);

  @Test
  void aNegativeAcquireTimeoutIsRejectedNamingItAndItsValue() throws Exception {
    try (Heartbeats hb = Heartbeats.builder().store(store).time(time).holderId("a").build()) {
      assertThatThrownBy(() -> hb.leases().acquire("l", Duration.ofSeconds(10),
          Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("timeout").hasMessageContaining("-1");
      assertThat(store.lease("l")).as("nothing was tried").isEmpty();
      assertThat(hb.leases().acquire("l", Duration.ofSeconds(10), Duration.ZERO))
          .as("a zero timeout is one try").isPresent();
    }
  }
}
