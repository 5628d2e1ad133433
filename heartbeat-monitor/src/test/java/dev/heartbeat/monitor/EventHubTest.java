package dev.heartbeat.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The hub's bounds: a client that never reads fills its own queue and is dropped (its connection
 * closed) while publishing goes on without waiting; clients beyond the most allowed are refused.
 */
class EventHubTest {

  @Test
  void aClientThatNeverReadsIsDroppedAndPublishingNeverWaits() {
    EventHub hub = new EventHub(4);
    AtomicInteger disconnected = new AtomicInteger();
    EventStream stalled = new EventStream(3, disconnected::incrementAndGet);
    assertThat(hub.join(stalled)).isTrue();
    for (int i = 0; i < 10_000; i++) {
      hub.publish("agent", hub.node().put("n", i));
    }
    assertThat(stalled.dropped()).isTrue();
    assertThat(hub.clients()).isZero();
    assertThat(hub.dropped()).isEqualTo(1);
    dev.heartbeat.tck.Await.until("the dropped client's connection closed",
        () -> disconnected.get() == 1);
  }

  @Test
  void aClientThatReadsGetsEveryEventInOrder() throws Exception {
    EventHub hub = new EventHub(4);
    EventStream client = new EventStream(10, () -> { });
    hub.join(client);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread pump = Thread.ofVirtual().start(() -> {
      try {
        client.pump(out);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    hub.publish("agent", hub.node().put("n", 1));
    hub.publish("lease", hub.node().put("n", 2));
    dev.heartbeat.tck.Await.until("both events written",
        () -> out.toString(StandardCharsets.UTF_8).contains("event: lease"));
    client.drop();
    pump.join(5_000);
    assertThat(pump.isAlive()).isFalse();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(": heartbeat-monitor events\n\n"
        + "id: 1\nevent: agent\ndata: {\"n\":1}\n\n"
        + "id: 2\nevent: lease\ndata: {\"n\":2}\n\n");
  }

  @Test
  void clientsBeyondTheMostAllowedAreRefused() {
    EventHub hub = new EventHub(2);
    assertThat(hub.join(new EventStream(1, () -> { }))).isTrue();
    assertThat(hub.join(new EventStream(1, () -> { }))).isTrue();
    assertThat(hub.join(new EventStream(1, () -> { }))).isFalse();
  }
}
