package dev.heartbeat.micrometer;

import static dev.heartbeat.micrometer.MetricsRig.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.FaultyStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The binder of an engine whose link to the store fails or hangs: a failed read keeps the last
 * counts, a scrape never waits on the store, and close does not wait for a hanging refresh.
 */
class StoreFaultTest {
  private static final String INBOX = "heartbeat_tasks{queue=\"jobs\",state=\"inbox\"}";

  private final MetricsRig rig = new MetricsRig();
  private final FaultyStore link = new FaultyStore(rig.store);
  private final Heartbeats hb = Heartbeats.builder().store(link).time(rig.time).holderId("m2")
      .closeTimeout(Duration.ofSeconds(2)).build();

  @AfterEach
  void close() {
    link.heal();
    hb.close();
    rig.close();
  }

  @Test
  void aFailedReadKeepsTheLastCountsAndAHangingOneBlocksNeitherScrapeNorClose()
      throws InterruptedException {
    rig.hb.tasks("jobs").submit(TaskSpec.of("t1", "p"));
    HeartbeatMetrics metrics = HeartbeatMetrics.builder(hb).queue("jobs")
        .refreshEvery(Duration.ofHours(1)).build();
    metrics.bindTo(rig.registry);
    assertThat(value(rig.scrape(), INBOX)).isEqualTo(1);

    rig.hb.tasks("jobs").submit(TaskSpec.of("t2", "p"));
    link.fail();
    metrics.refresh();
    assertThat(value(rig.scrape(), INBOX)).isEqualTo(1);
    link.heal();
    metrics.refresh();
    assertThat(value(rig.scrape(), INBOX)).isEqualTo(2);

    link.hang();
    int before = link.calls();
    Thread refresh = Thread.ofPlatform().name("test-refresh").start(metrics::refresh);
    Await.until("the refresh hangs on the store", () -> link.calls() > before);
    assertThat(value(rig.scrape(), INBOX)).isEqualTo(2); // the scrape does not wait
    Thread close = Thread.ofPlatform().name("test-close").start(metrics::close);
    close.join(Duration.ofSeconds(5));
    assertThat(close.isAlive()).as("close waits for the hanging refresh").isFalse();
    assertThat(rig.scrape()).doesNotContain("heartbeat_");

    link.heal();
    refresh.join(Duration.ofSeconds(5));
    assertThat(refresh.isAlive()).as("the refresh after the link healed").isFalse();
    assertThat(rig.registry.getMeters()).isEmpty();
  }
}
