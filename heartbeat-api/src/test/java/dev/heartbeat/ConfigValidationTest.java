package dev.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.Checks;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Every bad setting is rejected at build time with a message naming the parameter and value. */
class ConfigValidationTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    assertThat(AgentConfig.DEFAULTS.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(AgentConfig.DEFAULTS.maxBackoff()).isEqualTo(Duration.ofSeconds(20));
    assertThat(LeaseConfig.DEFAULTS.ttl()).isEqualTo(Duration.ofSeconds(15));
    assertThat(LeaseConfig.DEFAULTS.renewInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(LeaseConfig.DEFAULTS.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(LeaseConfig.DEFAULTS.retryInterval()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void idsMustBePresentShortAndPrintable() {
    assertThatThrownBy(() -> Checks.id("agentId", null))
        .hasMessage("agentId must not be null");
    assertThatThrownBy(() -> Checks.id("agentId", "  "))
        .hasMessage("agentId must not be blank, got '  '");
    assertThatThrownBy(() -> Checks.id("agentId", "x".repeat(129)))
        .hasMessageStartingWith("agentId must be at most 128 characters, got 129: 'xxxx");
    assertThatThrownBy(() -> Checks.id("agentId", "bad\nid"))
        .hasMessage("agentId must not contain control characters, got 'bad?id' (U+000A at index 3)");
    assertThat(Checks.id("agentId", "x".repeat(128))).hasSize(128);
    assertThat(Checks.id("agentId", "wörker/7 'ok'")).isEqualTo("wörker/7 'ok'");
  }

  @Test
  void durationsMustBePositive() {
    assertThatThrownBy(() -> AgentConfig.of(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("interval must be positive, got PT0S");
    assertThatThrownBy(() -> AgentConfig.of(Duration.ofSeconds(-1)))
        .hasMessage("interval must be positive, got PT-1S");
    assertThatThrownBy(() -> LeaseConfig.ofTtl(null)).hasMessage("ttl must not be null");
    assertThatThrownBy(() -> new AgentConfig(Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .hasMessage("maxBackoff must be at least interval (PT5S), got PT1S");
  }

  @Test
  void aLeaseTtlMustLeaveRoomForOneFailedRenewal() {
    Duration s = Duration.ofSeconds(1);
    assertThatThrownBy(() -> new LeaseConfig(s.multipliedBy(9), s.multipliedBy(5),
        s.multipliedBy(7), s))
        .hasMessage("ttl must be at least 2 x renewInterval (PT5S), got ttl PT9S");
    assertThatThrownBy(() -> new LeaseConfig(s.multipliedBy(15), s.multipliedBy(5),
        s.multipliedBy(5), s))
        .hasMessage("renewDeadline must be longer than renewInterval (PT5S), got PT5S");
    assertThatThrownBy(() -> new LeaseConfig(s.multipliedBy(15), s.multipliedBy(5),
        s.multipliedBy(15), s))
        .hasMessage("renewDeadline must be shorter than ttl (PT15S), got PT15S");
    assertThatThrownBy(() -> new LeaseConfig(s.multipliedBy(15), s.multipliedBy(5),
        s.multipliedBy(10), Duration.ZERO))
        .hasMessage("retryInterval must be positive, got PT0S");
  }

  @Test
  void theBuilderRejectsBadValuesWhenTheyAreSet() {
    HeartbeatsBuilder builder = Heartbeats.builder();
    assertThatThrownBy(() -> builder.holderId("")).hasMessage("holderId must not be blank, got ''");
    assertThatThrownBy(() -> builder.callTimeout(Duration.ZERO))
        .hasMessage("callTimeout must be positive, got PT0S");
    assertThatThrownBy(() -> builder.uri("memory: bad uri"))
        .hasMessageStartingWith("uri is not a valid URI: 'memory: bad uri'");
    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
        .hasMessage("store or uri must be set, got neither");
  }

  @Test
  void beatsAndLeasesValidateTheirFields() {
    assertThatThrownBy(() -> new Beat("a", "i", -1, Optional.empty(), AgentStatus.IDLE,
        OptionalDouble.of(0), Optional.empty(), false, Optional.empty()))
        .hasMessage("sequence must be at least 0, got -1");
    assertThatThrownBy(() -> new Beat("a", "i", 1, Optional.empty(), AgentStatus.IDLE,
        OptionalDouble.of(1.5), Optional.empty(), false, Optional.empty()))
        .hasMessage("cpu must be in [0, 1] or empty, got 1.5");
    assertThatThrownBy(() -> new Beat("a", "i", 1, Optional.empty(), AgentStatus.IDLE,
        OptionalDouble.of(-1), Optional.empty(), false, Optional.empty()))
        .as("no sentinel: unknown is empty").hasMessage("cpu must be in [0, 1] or empty, got -1.0");
    assertThatThrownBy(() -> new Beat("a", "i", 1, Optional.empty(), AgentStatus.IDLE,
        OptionalDouble.of(0), Optional.of("x".repeat(1025)), false, Optional.empty()))
        .hasMessageStartingWith("progress must be at most 1024 characters, got 1025");
    assertThatThrownBy(() -> new Beat("a", "i", 1, null, AgentStatus.IDLE,
        OptionalDouble.of(0), Optional.empty(), false, Optional.empty()))
        .as("absent is empty, never null").hasMessage("taskId must not be null");
    assertThatThrownBy(() -> new Beat("a", "i", 1, Optional.of(" "), AgentStatus.IDLE,
        OptionalDouble.of(0), Optional.empty(), false, Optional.empty()))
        .hasMessageStartingWith("taskId must");
    assertThatThrownBy(() -> new Beat("a", "i", 1, Optional.empty(), AgentStatus.IDLE,
        OptionalDouble.of(0), Optional.empty(), false, Optional.of(Duration.ZERO)))
        .hasMessageStartingWith("interval must be positive");
    assertThatThrownBy(() -> new Heartbeat("a", "i", 1, Optional.empty(), AgentStatus.IDLE,
        OptionalDouble.of(2), Optional.empty(), Optional.empty(), java.time.Instant.EPOCH,
        Optional.empty())).hasMessage("cpu must be in [0, 1] or empty, got 2.0");
    assertThatThrownBy(() -> new Heartbeat("a", "i", 1, Optional.empty(), AgentStatus.IDLE,
        OptionalDouble.empty(), null, Optional.empty(), java.time.Instant.EPOCH,
        Optional.empty())).hasMessage("progress must not be null");
    assertThatThrownBy(() -> new dev.heartbeat.spi.LeaseRenewal("l", "h", 0, Duration.ofSeconds(1)))
        .hasMessage("token must be at least 1, got 0");
  }

  @Test
  void anUnknownSchemeSaysWhichStoresExist() {
    assertThatThrownBy(() -> Heartbeats.open("nosuch:/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("uri has scheme 'nosuch' but no store on the class path opens it");
    assertThatThrownBy(() -> Heartbeats.open("relative/path"))
        .hasMessageContaining("uri must start with a scheme");
  }

  @Test
  void durationsAreReadShortOrIsoAndMustBePositive() {
    assertThat(Checks.duration("timeout", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Checks.duration("timeout", " 2S ")).isEqualTo(Duration.ofSeconds(2));
    assertThat(Checks.duration("timeout", "5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Checks.duration("timeout", "1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Checks.duration("timeout", "PT0.5S")).isEqualTo(Duration.ofMillis(500));
    for (String bad : new String[] {"soon", "", "5", "ms", "5 s", "5d", "1234567890s"}) {
      assertThatThrownBy(() -> Checks.duration("timeout", bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("timeout must be a duration such as 500ms, 2s, 5m or PT0.5S, got '" + bad
              + "'");
    }
    assertThatThrownBy(() -> Checks.duration("timeout", null))
        .hasMessage("timeout must be a duration such as 500ms, 2s, 5m or PT0.5S, got 'null'");
    assertThatThrownBy(() -> Checks.duration("timeout", "0s"))
        .hasMessage("timeout must be positive, got '0s'");
    assertThatThrownBy(() -> Checks.duration("timeout", "-PT1S"))
        .hasMessage("timeout must be positive, got '-PT1S'");
  }
}
