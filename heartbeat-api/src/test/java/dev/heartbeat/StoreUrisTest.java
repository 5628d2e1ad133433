package dev.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.spi.StoreUris;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The providers' shared URI handling: credentials never shown, settings read one way. */
class StoreUrisTest {
  private static final List<String> KNOWN = List.of("prefix", "replicas");

  @Test
  void aBareSchemeIsToldApartFromTheRootWrittenOut() {
    java.net.URI bare = StoreUris.parse("file:");
    assertThat(StoreUris.isBare(bare)).isTrue();
    assertThat(StoreUris.shown(bare)).isEqualTo("file:");
    assertThat(StoreUris.isBare(StoreUris.parse("file:/"))).isFalse();
    assertThat(StoreUris.shown(StoreUris.parse("file:/"))).isEqualTo("file:/");
    assertThat(StoreUris.isBare(StoreUris.parse("memory:x"))).isFalse();
    assertThat(StoreUris.shown(StoreUris.parse("redis://:pw@h:6379"))).isEqualTo("redis://h:6379");
    assertThatThrownBy(() -> StoreUris.parse("redis://:pw@h:6379/ x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uri")
        .hasMessageNotContaining("pw");
    assertThatThrownBy(() -> StoreUris.parse(null)).hasMessageContaining("uri");
  }

  @Test
  void userInfoIsRemovedWhereverItStands() {
    assertThat(StoreUris.withoutUserInfo("redis://:secret@host:6379/0?prefix=p"))
        .isEqualTo("redis://host:6379/0?prefix=p");
    assertThat(StoreUris.withoutUserInfo("jdbc:postgresql://app:secret@db:5432/app"))
        .isEqualTo("jdbc:postgresql://db:5432/app");
    assertThat(StoreUris.withoutUserInfo("uri is malformed: 'rediss://u:p%40ss@h/0 x'"))
        .isEqualTo("uri is malformed: 'rediss://h/0 x'");
    assertThat(StoreUris.withoutUserInfo("redis://host/0?to=a@b")).as("not user-info")
        .isEqualTo("redis://host/0?to=a@b");
    assertThat(StoreUris.withoutUserInfo(null)).isNull();
  }

  @Test
  void settingsAreDecodedInOrderAndEachKnownKeyOnce() {
    assertThat(StoreUris.settings("uri parameter", "replicas=1&prefix=a%2Fb", KNOWN, "redis://h"))
        .containsExactly(Map.entry("replicas", "1"), Map.entry("prefix", "a/b"));
    assertThat(StoreUris.settings("uri parameter", null, KNOWN, "redis://h")).isEmpty();
    assertThat(StoreUris.settings("uri parameter", "", KNOWN, "redis://h")).isEmpty();
    assertThat(StoreUris.settings("uri parameter", "prefix=", KNOWN, "redis://h"))
        .containsExactly(Map.entry("prefix", ""));
  }

  @Test
  void aBadSettingIsNamedWithTheKnownKeysAndTheUriWithoutItsPassword() {
    String uri = "redis://:secret@h/0?x";
    assertThatThrownBy(() -> StoreUris.settings("uri parameter", "prefix=a&replica=1", KNOWN, uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("uri parameter 'replica' is unknown (known: prefix, replicas):"
            + " 'redis://h/0?x'");
    assertThatThrownBy(() -> StoreUris.settings("uri fragment", "prefix=a&prefix=b", KNOWN, uri))
        .hasMessage("uri fragment prefix must be given once, as prefix=value: 'redis://h/0?x'");
    assertThatThrownBy(() -> StoreUris.settings("uri parameter", "replicas", KNOWN, uri))
        .hasMessageStartingWith("uri parameter replicas must be given once, as replicas=value");
    assertThatThrownBy(() -> StoreUris.settings("uri parameter", "prefix=a&", KNOWN, uri))
        .hasMessageStartingWith("uri parameter '' is unknown");
    assertThatThrownBy(() -> StoreUris.settings("uri parameter", "prefix=%zz", KNOWN, uri))
        .hasMessage("uri parameter prefix must be URL-encoded, got '%zz' in 'redis://h/0?x'");
  }
}
