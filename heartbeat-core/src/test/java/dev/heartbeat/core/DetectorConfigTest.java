package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentChange.Evidence;
import dev.heartbeat.AgentChange.Kind;
import dev.heartbeat.AgentState;
import dev.heartbeat.DetectorConfig;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The detector's settings: the documented defaults, and bad values named in the message. */
class DetectorConfigTest {
  private static final DetectorConfig D = DetectorConfig.DEFAULTS;

  private static DetectorConfig with(double phi, int window, Duration minStd, Duration pause,
      Duration hard) {
    return new DetectorConfig(phi, window, minStd, pause, hard, D.suspicionGrace(),
        D.stallAfter(), D.pollInterval(), D.expectedInterval(), D.localPauseTolerance());
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    assertThat(D.phiThreshold()).isEqualTo(8.0);
    assertThat(D.windowSize()).isEqualTo(100);
    assertThat(D.minStdDeviation()).isEqualTo(Duration.ofMillis(500));
    assertThat(D.acceptablePause()).isEqualTo(Duration.ofSeconds(5));
    assertThat(D.hardTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(D.suspicionGrace()).isEqualTo(Duration.ofSeconds(18));
    assertThat(D.stallAfter()).isEqualTo(Duration.ofMinutes(2));
    assertThat(D.pollInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(D.expectedInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(D.localPauseTolerance()).isEqualTo(Duration.ofSeconds(1));
    assertThat(D.worstCaseDetection()).as("documented worst case for 5 s beats")
        .isEqualTo(Duration.ofSeconds(35));
  }

  @Test
  void forIntervalScalesTheTimeouts() {
    DetectorConfig c = DetectorConfig.forInterval(Duration.ofSeconds(1));
    assertThat(c.hardTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.suspicionGrace()).isEqualTo(Duration.ofMillis(3600));
    assertThat(c.pollInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(DetectorConfig.forInterval(Duration.ofMinutes(1)).pollInterval())
        .isEqualTo(Duration.ofSeconds(1));
    assertThatThrownBy(() -> DetectorConfig.forInterval(Duration.ZERO))
        .hasMessage("interval must be positive, got PT0S");
  }

  @Test
  void badValuesAreNamedWithTheValue() {
    Duration s = Duration.ofSeconds(1);
    assertThatThrownBy(() -> with(0, 100, s, s, s.multipliedBy(15)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("phiThreshold must be positive and finite, got 0.0");
    assertThatThrownBy(() -> with(Double.NaN, 100, s, s, s.multipliedBy(15)))
        .hasMessage("phiThreshold must be positive and finite, got NaN");
    assertThatThrownBy(() -> with(Double.POSITIVE_INFINITY, 100, s, s, s.multipliedBy(15)))
        .hasMessage("phiThreshold must be positive and finite, got Infinity");
    assertThatThrownBy(() -> with(8, 1, s, s, s.multipliedBy(15)))
        .hasMessage("windowSize must be in [2, 10000], got 1");
    assertThatThrownBy(() -> with(8, 100, Duration.ZERO, s, s.multipliedBy(15)))
        .hasMessage("minStdDeviation must be positive, got PT0S");
    assertThatThrownBy(() -> with(8, 100, s, s.negated(), s.multipliedBy(15)))
        .hasMessage("acceptablePause must not be negative, got PT-1S");
    assertThatThrownBy(() -> with(8, 100, s, null, s.multipliedBy(15)))
        .hasMessage("acceptablePause must not be null");
    assertThatThrownBy(() -> with(8, 100, s, s, s.multipliedBy(5)))
        .hasMessage("hardTimeout must be longer than expectedInterval (PT5S), got PT5S");
    assertThatThrownBy(() -> D.withSuspicionGrace(Duration.ofSeconds(-2)))
        .hasMessage("suspicionGrace must be positive, got PT-2S");
    assertThatThrownBy(() -> D.withStallAfter(null)).hasMessage("stallAfter must not be null");
    assertThatThrownBy(() -> D.withPollInterval(Duration.ZERO))
        .hasMessage("pollInterval must be positive, got PT0S");
    assertThat(with(8, 100, s, Duration.ZERO, s.multipliedBy(15)).acceptablePause())
        .as("no pause allowance is a valid choice").isZero();
  }

  @Test
  void aRecoveryIsGivenExactlyForRecovered() {
    Evidence e = new Evidence(Duration.ZERO, 0, Duration.ofSeconds(5), Duration.ZERO);
    assertThatThrownBy(() -> new AgentChange("a", "i", AgentState.SUSPECT, AgentState.ALIVE,
        Kind.RECOVERED, null, e, Instant.EPOCH))
        .hasMessage("recovery must be given exactly for kind RECOVERED, got null for RECOVERED");
    assertThatThrownBy(() -> new AgentChange("a", "i", AgentState.ALIVE, AgentState.SUSPECT,
        Kind.SUSPECTED, AgentChange.Recovery.RESTARTED, e, Instant.EPOCH))
        .hasMessage("recovery must be given exactly for kind RECOVERED, got RESTARTED for "
            + "SUSPECTED");
  }
}
