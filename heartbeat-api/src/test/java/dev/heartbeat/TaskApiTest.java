package dev.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.ClaimAnswer;
import dev.heartbeat.spi.TaskRules;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 16: the task value types check what they are given and name it. */
class TaskApiTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aSpecHasTheDefaultsOfTheIssueAndEachChangeIsChecked() {
    TaskSpec spec = TaskSpec.of("parse-17", "{}");
    assertThat(spec.attemptTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(spec.progressTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(spec.maxAttempts()).isEqualTo(3);
    assertThat(spec.maxLost()).isEqualTo(3);
    TaskSpec shorter = spec.attemptTimeout(Duration.ofMinutes(5));
    assertThat(shorter.progressTimeout()).as("follows the attempt timeout")
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(shorter.progressTimeout(Duration.ofMinutes(1)).attemptTimeout(Duration.ofHours(1))
        .progressTimeout()).as("set on its own, kept").isEqualTo(Duration.ofMinutes(1));
    assertThatThrownBy(() -> spec.maxAttempts(0)).hasMessageContaining("maxAttempts")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> spec.maxLost(-1)).hasMessageContaining("maxLost");
    assertThatThrownBy(() -> spec.attemptTimeout(Duration.ZERO))
        .hasMessageContaining("attemptTimeout");
    assertThatThrownBy(() -> spec.retryDelay(Duration.ofMinutes(2), Duration.ofMinutes(1)))
        .hasMessageContaining("maxRetryDelay").hasMessageContaining("PT2M");
    assertThatThrownBy(() -> TaskSpec.of(" ", "{}")).hasMessageContaining("id");
    assertThatThrownBy(() -> TaskSpec.of("a\nb", "{}")).hasMessageContaining("id");
    assertThatThrownBy(() -> TaskSpec.of("x".repeat(129), "{}")).hasMessageContaining("id")
        .hasMessageContaining("129");
    assertThatThrownBy(() -> TaskSpec.of("t", "x".repeat(TaskSpec.MAX_PAYLOAD_LENGTH + 1)))
        .hasMessageContaining("payload").hasMessageContaining("65537");
    assertThatThrownBy(() -> TaskSpec.of("t", "a\0b")).hasMessageContaining("payload")
        .hasMessageContaining("NUL");
    assertThat(TaskSpec.of("t", "line 1\nline 2").payload()).contains("\n");
  }

  @Test
  void aResultIsDoneWithAnOptionalOutputOrBlockedWithAReason() {
    assertThat(TaskResult.done().text()).isEmpty();
    assertThat(TaskResult.done("{\"rows\":3}").blocked()).isFalse();
    assertThat(TaskResult.blocked("schema mismatch").text()).contains("schema mismatch");
    assertThatThrownBy(() -> TaskResult.blocked(" ")).hasMessageContaining("reason");
    assertThatThrownBy(() -> new TaskResult(true, Optional.empty()))
        .hasMessageContaining("reason");
  }

  @Test
  void retriesBackOffExponentiallyNeverBeforeTheBaseAndAtMostTheCapPlusJitter() {
    TaskSpec spec = TaskSpec.of("t", "").retryDelay(Duration.ofSeconds(1), Duration.ofSeconds(60));
    assertThat(TaskRules.retryDelay(spec, 1, 0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(TaskRules.retryDelay(spec, 2, 0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(TaskRules.retryDelay(spec, 4, 0)).isEqualTo(Duration.ofSeconds(8));
    assertThat(TaskRules.retryDelay(spec, 40, 0)).isEqualTo(Duration.ofSeconds(60));
    assertThat(TaskRules.retryDelay(spec, Integer.MAX_VALUE, 0.999))
        .isBetween(Duration.ofSeconds(60), Duration.ofSeconds(90));
    assertThat(TaskRules.retryDelay(spec, 1, 0.5)).isEqualTo(Duration.ofMillis(1250));
    assertThatThrownBy(() -> TaskRules.retryDelay(spec, 0, 0)).hasMessageContaining("failures");
    assertThatThrownBy(() -> TaskRules.retryDelay(spec, 1, 1.0)).hasMessageContaining("random");
  }

  @Test
  void aTaskLostAsOftenAsItsLimitIsPoison() {
    TaskView once = inProgress(TaskSpec.of("t", "").maxLost(2), 0);
    assertThat(TaskRules.afterLost(once)).isEmpty();
    TaskView twice = inProgress(TaskSpec.of("t", "").maxLost(2), 1);
    assertThat(TaskRules.afterLost(twice)).get().asString().contains("poison").contains("2");
  }

  @Test
  void aViewHoldsAWorkerAndAClaimExactlyWhileInProgress() {
    TaskView running = inProgress(TaskSpec.of("t", ""), 0);
    assertThat(running.claimExpiredAt(T0)).isFalse();
    assertThat(running.claimExpiredAt(T0.plusSeconds(30))).isTrue();
    assertThatThrownBy(() -> new TaskView("q", TaskSpec.of("t", ""), TaskState.INBOX, 0,
        Optional.of("w"), Optional.of(T0), T0, 0, 0, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), false, T0, T0, List.of()))
        .hasMessageContaining("IN_PROGRESS");
    TaskCounts counts = new TaskCounts(Map.of(TaskState.DONE, 2L));
    assertThat(counts.of(TaskState.INBOX)).isZero();
    assertThat(counts.total()).isEqualTo(2);
  }

  @Test
  void anAttemptEndNamesWhatIsMissing() {
    assertThatThrownBy(() -> new AttemptEnd(AttemptOutcome.BLOCKED, Optional.empty(),
        Optional.empty(), Optional.empty(), TaskState.BLOCKED, Duration.ZERO, Optional.empty()))
        .hasMessageContaining("reason");
    assertThatThrownBy(() -> new AttemptEnd(AttemptOutcome.DONE, Optional.empty(),
        Optional.empty(), Optional.empty(), TaskState.IN_PROGRESS, Duration.ZERO,
        Optional.empty())).hasMessageContaining("IN_PROGRESS");
    assertThatThrownBy(() -> new ClaimAnswer(Optional.empty(), true)).hasMessageContaining("lost");
    assertThat(AttemptOutcome.STALLED.isFailure()).isTrue();
    assertThat(AttemptOutcome.WORKER_LOST.isFailure()).isFalse();
    assertThat(AttemptOutcome.RELEASED.isFailure()).isFalse();
    assertThat(TaskState.BLOCKED.isFinal()).isTrue();
    assertThat(TaskState.IN_PROGRESS.isFinal()).isFalse();
  }

  private static TaskView inProgress(TaskSpec spec, int lost) {
    return new TaskView("q", spec, TaskState.IN_PROGRESS, 1, Optional.of("w"),
        Optional.of(T0.plusSeconds(30)), T0, 0, lost, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), false, T0, T0, List.of());
  }
}
