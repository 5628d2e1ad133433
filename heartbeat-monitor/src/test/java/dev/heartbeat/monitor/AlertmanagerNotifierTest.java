package dev.heartbeat.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.heartbeat.AgentState;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.tck.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * Delivery to real HTTP servers standing for Alertmanagers: every URL gets every alert, firing
 * alerts are re-sent with {@code endsAt} four resend intervals ahead, a resolved one carries its
 * resolution, failures are retried, and only the notifier lease's holder sends.
 */
class AlertmanagerNotifierTest {
  static final Duration RESEND = Duration.ofMinutes(1);

  private static void beatAgain(MonitorRig rig, String id) {
    rig.store.register(new Beat(id, "i2", 0, Optional.empty(), AgentStatus.IDLE,
        OptionalDouble.empty(), Optional.empty(), false, Optional.empty()));
  }

  @Test
  void everyUrlGetsTheFiringAlertResentAndThenItsResolution() {
    try (MonitorRig rig = new MonitorRig(); AlertReceiver a = new AlertReceiver();
        AlertReceiver b = new AlertReceiver()) {
      HeartbeatAgent pacer = rig.agent("pacer");
      try (AlertmanagerNotifier n = AlertmanagerNotifier.builder(rig.hb).alertmanager(a.url())
          .alertmanager(b.url() + "/").resendInterval(RESEND).label("team", "ops")
          .generatorUrl("http://127.0.0.1:8080/").poll(Duration.ofMillis(20)).start()) {
        rig.until("elected", 30, pacer, n::sending);
        rig.ghost("worker-7");
        rig.until("worker-7 dead", 120, pacer,
            () -> rig.hb.detector().state("worker-7").orElse(null) == AgentState.DEAD);
        rig.until("both got the alert", 5, pacer,
            () -> !a.alerts(AlertRules.DEAD, "agent", "worker-7").isEmpty()
            && !b.alerts(AlertRules.DEAD, "agent", "worker-7").isEmpty());
        assertThat(a.paths).allMatch(p -> p.equals("POST /api/v2/alerts"));
        assertThat(b.paths).allMatch(p -> p.equals("POST /api/v2/alerts"));
        JsonNode first = a.alerts(AlertRules.DEAD, "agent", "worker-7").getFirst();
        assertThat(first.path("labels").path("team").asText()).isEqualTo("ops");
        assertThat(first.path("labels").path("severity").asText()).isEqualTo("critical");
        assertThat(first.path("generatorURL").asText()).isEqualTo("http://127.0.0.1:8080/");
        assertThat(first.path("annotations").path("beat_age").asText()).startsWith("PT");
        Instant ends = Instant.parse(first.path("endsAt").asText());
        Duration ahead = Duration.between(rig.time.instant(), ends);
        assertThat(ahead).isBetween(RESEND.multipliedBy(4).minusSeconds(10),
            RESEND.multipliedBy(4));

        int sent = a.alerts(AlertRules.DEAD, "agent", "worker-7").size();
        rig.until("a re-send within the interval", 70, pacer,
            () -> a.alerts(AlertRules.DEAD, "agent", "worker-7").size() > sent);
        assertThat(a.alerts(AlertRules.DEAD, "agent", "worker-7").getLast().path("endsAt")
            .asText()).isNotEqualTo(first.path("endsAt").asText());

        beatAgain(rig, "worker-7");
        rig.until("a resolved alert", 30, pacer, () -> a.alerts(AlertRules.DEAD, "agent",
            "worker-7").stream().anyMatch(j -> !Instant.parse(j.path("endsAt").asText())
            .isAfter(rig.time.instant())));
        JsonNode resolved = a.alerts(AlertRules.DEAD, "agent", "worker-7").getLast();
        assertThat(resolved.path("startsAt").asText()).isEqualTo(first.path("startsAt")
            .asText());
        rig.until("b got it too", 5, pacer, () -> b.alerts(AlertRules.DEAD, "agent", "worker-7")
            .getLast().path("endsAt").asText().equals(resolved.path("endsAt").asText()));
        assertThat(n.failures()).isZero();
        assertThat(n.dropped()).isZero();
      }
    }
  }

  @Test
  void failedPostsAreCountedAndRetriedUntilTheyArrive() {
    try (MonitorRig rig = new MonitorRig(); AlertReceiver a = new AlertReceiver()) {
      a.failFirst.set(3);
      HeartbeatAgent pacer = rig.agent("pacer");
      try (AlertmanagerNotifier n = AlertmanagerNotifier.builder(rig.hb).alertmanager(a.url())
          .watchLease("orchestrator").noLeaderAfter(Duration.ofSeconds(5))
          .poll(Duration.ofMillis(20)).start()) {
        rig.until("a no-leader alert", 60, pacer, () -> rules(n));
        Await.until("the alert past three refusals",
            () -> !a.alerts(AlertRules.NO_LEADER, "lease", "orchestrator").isEmpty(),
            Duration.ofSeconds(30));
        assertThat(a.refused.get()).isEqualTo(3);
        assertThat(n.failures()).isEqualTo(3);
        Await.until("the accepted post counted", () -> n.sent() >= 1);
      }
    }
  }

  private static boolean rules(AlertmanagerNotifier n) {
    return n.sending() && (n.failures() > 0 || n.sent() > 0);
  }

  @Test
  void twoNotifiersOnOneStoreSendOnceAndTheOtherTakesOverWhenTheLeaderGoes() {
    try (MonitorRig rig = new MonitorRig(); AlertReceiver a = new AlertReceiver();
        Heartbeats hb2 = Heartbeats.builder().store(rig.store).time(rig.time).holderId("m2")
            .closeTimeout(Duration.ofSeconds(5)).build()) {
      HeartbeatAgent pacer = rig.agent("pacer");
      AlertmanagerNotifier n1 = AlertmanagerNotifier.builder(rig.hb).alertmanager(a.url())
          .label("origin", "m1").poll(Duration.ofMillis(20)).start();
      try (AlertmanagerNotifier n2 = AlertmanagerNotifier.builder(hb2).alertmanager(a.url())
          .label("origin", "m2").poll(Duration.ofMillis(20)).start()) {
        rig.until("one elected", 60, pacer, () -> n1.sending() || n2.sending());
        AlertmanagerNotifier leader = n1.sending() ? n1 : n2;
        AlertmanagerNotifier other = leader == n1 ? n2 : n1;
        String leaderOrigin = leader == n1 ? "m1" : "m2";
        String otherOrigin = leader == n1 ? "m2" : "m1";
        rig.ghost("worker-7");
        rig.until("the alert", 120, pacer,
            () -> !a.alerts(AlertRules.DEAD, "agent", "worker-7").isEmpty());
        rig.until("a re-send", 70, pacer,
            () -> a.alerts(AlertRules.DEAD, "agent", "worker-7").size() >= 2);
        assertThat(a.alerts(AlertRules.DEAD, "agent", "worker-7"))
            .allMatch(j -> j.path("labels").path("origin").asText().equals(leaderOrigin));
        assertThat(other.sending()).isFalse();

        leader.close();
        int before = a.alerts().size();
        rig.until("the other takes over and re-sends what fires", 120, pacer,
            () -> a.alerts().subList(before, a.alerts().size()).stream()
                .anyMatch(j -> j.path("labels").path("origin").asText().equals(otherOrigin)
                    && j.path("labels").path("agent").asText().equals("worker-7")
                    && j.path("labels").path("alertname").asText().equals(AlertRules.DEAD)));
        assertThat(other.sending()).isTrue();
      } finally {
        n1.close();
      }
    }
  }

  @Test
  void aMonitorStartsItsNotifierForWhatItFollowsLinkingToItsPageAndClosesIt() {
    try (AlertReceiver a = new AlertReceiver();
        MonitorRig rig = new MonitorRig(b -> b.lease("orchestrator").alertmanager(a.url())
            .alerts(n -> n.noLeaderAfter(Duration.ofSeconds(5)).poll(Duration.ofMillis(20))))) {
      AlertmanagerNotifier n = rig.monitor.notifier().orElseThrow();
      HeartbeatAgent pacer = rig.agent("pacer");
      rig.until("elected", 30, pacer, n::sending);
      rig.ghost("worker-7");
      rig.until("both alerts", 120, pacer,
          () -> !a.alerts(AlertRules.DEAD, "agent", "worker-7").isEmpty()
          && !a.alerts(AlertRules.NO_LEADER, "lease", "orchestrator").isEmpty());
      String page = "http://127.0.0.1:" + rig.monitor.port() + "/";
      assertThat(a.alerts()).allMatch(j -> j.path("generatorURL").asText().equals(page));
      assertThat(rig.get("/").statusCode()).as("the page linked to").isEqualTo(200);

      rig.monitor.close();
      Await.until("stepped down", () -> !n.sending());
      assertThat(rig.store.lease(AlertmanagerNotifier.DEFAULT_LEASE)
          .filter(l -> !l.expiredAt(rig.time.instant()))).as("the notifier lease").isEmpty();
      int posted = a.bodies.size();
      rig.run(70, pacer); // past a resend interval
      assertThat(a.bodies).as("nothing posted once the monitor closed").hasSize(posted);
    }
  }

  @Test
  void aMonitorWithAlertSettingsButNoAlertmanagerDoesNotStart() {
    try (MonitorRig rig = new MonitorRig()) {
      assertThatThrownBy(() -> Monitor.builder(rig.hb).port(0).alerts(n -> n.label("team", "ops"))
          .start()).isInstanceOf(IllegalStateException.class).hasMessageContaining("alertmanager");
      assertThatThrownBy(() -> Monitor.builder(rig.hb).alertmanager("ftp://h:1"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://h:1");
    }
  }

  @Test
  void thePageUrlNamesTheHostAsBound() throws Exception {
    assertThat(MonitorBuilder.pageUrl(new java.net.InetSocketAddress(
        java.net.InetAddress.getByName("127.0.0.1"), 9464))).isEqualTo("http://127.0.0.1:9464/");
    assertThat(MonitorBuilder.pageUrl(new java.net.InetSocketAddress(
        java.net.InetAddress.getByName("::1"), 9464))).isEqualTo("http://[0:0:0:0:0:0:0:1]:9464/");
    assertThat(MonitorBuilder.pageUrl(new java.net.InetSocketAddress(9464)))
        .startsWith("http://").endsWith(":9464/").doesNotContain("0.0.0.0");
  }

  @Test
  void theBuilderNamesTheParameterAndTheValue() {
    try (MonitorRig rig = new MonitorRig()) {
      AlertmanagerNotifierBuilder b = AlertmanagerNotifier.builder(rig.hb);
      assertThatThrownBy(() -> b.alertmanager("ftp://h:1")).isInstanceOf(
          IllegalArgumentException.class).hasMessageContaining("alertmanager")
          .hasMessageContaining("ftp://h:1");
      assertThatThrownBy(() -> b.alertmanager("not a url")).isInstanceOf(
          IllegalArgumentException.class).hasMessageContaining("not a url");
      assertThatThrownBy(() -> b.resendInterval(Duration.ZERO)).isInstanceOf(
          IllegalArgumentException.class).hasMessageContaining("resendInterval")
          .hasMessageContaining("PT0S");
      assertThatThrownBy(() -> b.noLeaderAfter(Duration.ofSeconds(-1)))
          .hasMessageContaining("noLeaderAfter").hasMessageContaining("PT-1S");
      assertThatThrownBy(() -> b.label("bad-name", "x")).isInstanceOf(
          IllegalArgumentException.class).hasMessageContaining("bad-name");
      assertThatThrownBy(() -> b.generatorUrl("relative/page"))
          .hasMessageContaining("generatorUrl").hasMessageContaining("relative/page");
      assertThatThrownBy(b::start).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("alertmanager");
      assertThat(List.of(AlertmanagerNotifier.DEFAULT_RESEND)).containsExactly(RESEND);
    }
  }
}
