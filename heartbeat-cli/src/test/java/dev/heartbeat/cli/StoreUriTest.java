package dev.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Store URIs: schemes, passwords from the environment or the user-info, and masking. */
class StoreUriTest {
  private static final Map<String, String> ENV = Map.of(StoreUri.PASSWORD_ENV, "s3cret!");

  @Test
  void jdbcUserInfoBecomesParametersAndIsMasked() {
    StoreUri uri = StoreUri.parse("jdbc:postgresql://app:pa%40ss@127.0.0.1:5432/db", Map.of());
    assertThat(uri.uri()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/db?user=app&password=pa%40ss");
    assertThat(uri.shown()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/db?user=***&password=***");
    assertThat(uri.redactor().redact("login failed for pa@ss")).isEqualTo("login failed for ***");
  }

  @Test
  void passwordFromTheEnvironmentIsAddedToJdbcAndRedisButNeverShown() {
    StoreUri jdbc = StoreUri.parse("jdbc:postgresql://127.0.0.1/db?user=app", ENV);
    assertThat(jdbc.uri()).endsWith("?user=app&password=s3cret%21");
    assertThat(jdbc.shown()).doesNotContain("s3cret");
    StoreUri redis = StoreUri.parse("redis://127.0.0.1:6379/0", ENV);
    assertThat(redis.uri()).isEqualTo("redis://:s3cret%21@127.0.0.1:6379/0");
    assertThat(redis.shown()).isEqualTo("redis://***@127.0.0.1:6379/0");
    assertThat(redis.redactor().redact("auth s3cret! refused")).isEqualTo("auth *** refused");
  }

  @Test
  void aPasswordAlreadyInTheUriWins() {
    StoreUri jdbc = StoreUri.parse("jdbc:postgresql://127.0.0.1/db?password=mine", ENV);
    assertThat(jdbc.uri()).isEqualTo("jdbc:postgresql://127.0.0.1/db?password=mine");
    StoreUri redis = StoreUri.parse("redis://:mine@127.0.0.1:6379", ENV);
    assertThat(redis.uri()).isEqualTo("redis://:mine@127.0.0.1:6379");
    assertThat(redis.redactor().redact("mine")).isEqualTo("***");
  }

  @Test
  void fileAndMemoryAreTakenAsTheyAre() {
    assertThat(StoreUri.parse("file:/var/lib/hb", ENV).uri()).isEqualTo("file:/var/lib/hb");
    assertThat(StoreUri.parse("memory:", ENV).isMemory()).isTrue();
    assertThat(StoreUri.parse("FILE:/x", ENV).scheme()).isEqualTo("file");
  }

  @Test
  void unknownSchemesBlanksAndControlCharactersAreUsageErrors() {
    assertThatThrownBy(() -> StoreUri.parse("http://u:pw@host", Map.of()))
        .isInstanceOf(CliFailure.class).hasMessageContaining("'http://***@host'")
        .satisfies(e -> assertThat(((CliFailure) e).exitCode()).isEqualTo(64));
    assertThatThrownBy(() -> StoreUri.parse(" ", Map.of())).hasMessageContaining("got ''");
    assertThatThrownBy(() -> StoreUri.parse("/var/lib/hb", Map.of()))
        .hasMessageContaining("must start with file:");
    assertThatThrownBy(() -> StoreUri.parse("file:/a\nb", Map.of()))
        .hasMessageContaining("control characters, got 'file:/a?b'");
  }

  @Test
  void redactorMasksUserInfoAndCredentialParametersAnywhereInAText() {
    Redactor r = Redactor.patternsOnly();
    assertThat(r.redact("cannot reach redis://bob:pw@10.0.0.1:6379 now"))
        .isEqualTo("cannot reach redis://***@10.0.0.1:6379 now");
    assertThat(r.redact("url jdbc:mariadb://h/db?user=bob&password=pw;x"))
        .isEqualTo("url jdbc:mariadb://h/db?user=***&password=***;x");
    assertThat(r.redact(null)).isNull();
  }
}
