package dev.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Settings by name: builders and complete withers, with every safety rule kept. */
class ConfigBuildersTest {
  private static final Duration S = Duration.ofSeconds(1);

  @Test
  void aLeaseBuilderDerivesWhatIsNotSetFromTheTtl() {
    assertThat(LeaseConfig.builder(S.multipliedBy(15)).build()).isEqualTo(LeaseConfig.DEFAULTS);
    LeaseConfig c = LeaseConfig.builder(S.multipliedBy(30)).retryInterval(S.multipliedBy(2))
        .build();
    assertThat(c.ttl()).isEqualTo(S.multipliedBy(30));
    assertThat(c.renewInterval()).isEqualTo(S.multipliedBy(10));
    assertThat(c.renewDeadline()).isEqualTo(S.multipliedBy(20));
    assertThat(c.retryInterval()).isEqualTo(S.multipliedBy(2));
  }

  @Test
  void aLeaseBuilderKeepsTheSafetyRules() {
    assertThatThrownBy(() -> LeaseConfig.builder(S.multipliedBy(15))
        .renewDeadline(S.multipliedBy(15)).build())
        .hasMessage("renewDeadline must be shorter than ttl (PT15S), got PT15S");
    assertThatThrownBy(() -> LeaseConfig.builder(S.multipliedBy(15))
        .renewInterval(S.multipliedBy(10)).build())
        .hasMessage("ttl must be at least 2 x renewInterval (PT10S), got ttl PT15S");
    assertThatThrownBy(() -> LeaseConfig.builder(Duration.ZERO))
        .hasMessage("ttl must be positive, got PT0S");
    assertThatThrownBy(() -> LeaseConfig.builder(S).retryInterval(null))
        .hasMessage("retryInterval must not be null");
  }

  @Test
  void everyLeaseSettingHasAWither() {
    LeaseConfig d = LeaseConfig.DEFAULTS;
    assertThat(d.withTtl(S.multipliedBy(20)).ttl()).isEqualTo(S.multipliedBy(20));
    assertThat(d.withRenewInterval(S.multipliedBy(4)).renewInterval()).isEqualTo(S.multipliedBy(4));
    assertThat(d.withRenewDeadline(S.multipliedBy(9)).renewDeadline()).isEqualTo(S.multipliedBy(9));
    assertThat(d.withRetryInterval(S).retryInterval()).isEqualTo(S);
    assertThatThrownBy(() -> d.withTtl(S.multipliedBy(9)))
        .hasMessage("ttl must be at least 2 x renewInterval (PT5S), got ttl PT9S");
  }

  @Test
  void aDetectorBuilderChangesOnlyWhatIsNamedAndValidates() {
    DetectorConfig base = DetectorConfig.forInterval(S.multipliedBy(2));
    assertThat(base.toBuilder().build()).isEqualTo(base);
    DetectorConfig c = base.toBuilder().stallAfter(Duration.ofMinutes(10)).phiThreshold(10)
        .build();
    assertThat(c.stallAfter()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.phiThreshold()).isEqualTo(10.0);
    assertThat(c.withStallAfter(base.stallAfter()).withPhiThreshold(base.phiThreshold()))
        .isEqualTo(base);
    assertThatThrownBy(() -> base.toBuilder().hardTimeout(S).build())
        .hasMessage("hardTimeout must be longer than expectedInterval (PT2S), got PT1S");
    assertThatThrownBy(() -> base.toBuilder().windowSize(1).build())
        .hasMessageStartingWith("windowSize must be in [2, ");
  }

  @Test
  void everyDetectorSettingHasAWither() {
    DetectorConfig d = DetectorConfig.DEFAULTS;
    Duration x = Duration.ofMillis(1234);
    assertThat(d.withPhiThreshold(3).phiThreshold()).isEqualTo(3.0);
    assertThat(d.withWindowSize(7).windowSize()).isEqualTo(7);
    assertThat(d.withMinStdDeviation(x).minStdDeviation()).isEqualTo(x);
    assertThat(d.withAcceptablePause(x).acceptablePause()).isEqualTo(x);
    assertThat(d.withHardTimeout(Duration.ofMinutes(1)).hardTimeout())
        .isEqualTo(Duration.ofMinutes(1));
    assertThat(d.withSuspicionGrace(x).suspicionGrace()).isEqualTo(x);
    assertThat(d.withStallAfter(x).stallAfter()).isEqualTo(x);
    assertThat(d.withPollInterval(x).pollInterval()).isEqualTo(x);
    assertThat(d.withExpectedInterval(x).expectedInterval()).isEqualTo(x);
    assertThat(d.withLocalPauseTolerance(x).localPauseTolerance()).isEqualTo(x);
  }

  @Test
  void anAgentConfigHasAWitherForEachSetting() {
    assertThat(AgentConfig.DEFAULTS.withMaxBackoff(S.multipliedBy(60)).maxBackoff())
        .isEqualTo(S.multipliedBy(60));
    assertThatThrownBy(() -> AgentConfig.DEFAULTS.withMaxBackoff(S))
        .hasMessage("maxBackoff must be at least interval (PT5S), got PT1S");
  }
}
