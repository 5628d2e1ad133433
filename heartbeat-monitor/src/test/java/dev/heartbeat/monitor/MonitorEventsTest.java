package dev.heartbeat.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentState;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.tck.Await;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code /events} over real HTTP: a detector change reaches a reading client as a server-sent
 * event, a lease transition too, and a client that connects and never reads a byte blocks
 * neither the engine nor the other clients.
 */
class MonitorEventsTest {

  @Test
  void detectorChangesAndLeaseTransitionsArriveAsEventsWhileAClientNeverReads()
      throws Exception {
    try (MonitorRig rig = new MonitorRig(b -> b.lease("leader").events(4, 64));
        Socket stalled = new Socket()) {
      HeartbeatAgent pacer = rig.agent("pacer");
      // a client that asks for events and never reads a byte of them
      stalled.setReceiveBufferSize(1024);
      stalled.connect(new InetSocketAddress("127.0.0.1", rig.monitor.port()), 5_000);
      OutputStream req = stalled.getOutputStream();
      req.write("GET /events HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      req.flush();

      List<String> lines = new CopyOnWriteArrayList<>();
      HttpResponse<Stream<String>> r = rig.http.send(HttpRequest.newBuilder(rig.uri("/events"))
          .build(), HttpResponse.BodyHandlers.ofLines());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
          t -> assertThat(t).startsWith("text/event-stream"));
      Thread reader = Thread.ofVirtual().start(() -> r.body().forEach(lines::add));

      rig.hb.leases().tryAcquire("leader", Duration.ofSeconds(30)).orElseThrow();
      rig.until("a lease event", 60, pacer, () -> lines.stream().anyMatch(
          l -> l.startsWith("data: ") && l.contains("\"lease\":\"leader\"")
              && l.contains("\"to\":\"acquired\"") && l.contains("\"holder\":\"m1\"")));

      for (int i = 0; i < 20; i++) {
        rig.ghost("ghost-" + i);
      }
      rig.until("every ghost dead", 120, pacer, () -> {
        for (int i = 0; i < 20; i++) {
          if (rig.hb.detector().state("ghost-" + i).orElse(null) != AgentState.DEAD) {
            return false;
          }
        }
        return true;
      });
      Await.until("the ghosts' SUSPECT and DEAD events", () -> lines.stream().anyMatch(
          l -> l.contains("\"agent\":\"ghost-19\"") && l.contains("\"to\":\"DEAD\""))
          && lines.stream().anyMatch(
              l -> l.contains("\"agent\":\"ghost-0\"") && l.contains("\"to\":\"SUSPECT\"")));
      assertThat(lines).contains("event: agent", "event: lease");
      // the monitor still answers while the stalled client is connected
      assertThat(rig.get("/healthz").statusCode()).isEqualTo(200);
      reader.interrupt();
    }
  }

  @Test
  void moreEventClientsThanAllowedAre503() throws Exception {
    try (MonitorRig rig = new MonitorRig(b -> b.events(1, 8))) {
      HttpResponse<Stream<String>> first = rig.http.send(HttpRequest.newBuilder(
          rig.uri("/events")).build(), HttpResponse.BodyHandlers.ofLines());
      assertThat(first.statusCode()).isEqualTo(200);
      Await.until("the first client joined", () -> rig.get("/events").statusCode() == 503);
      first.body().close();
    }
  }
}
