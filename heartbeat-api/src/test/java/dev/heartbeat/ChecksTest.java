package dev.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.spi.Checks;
import org.junit.jupiter.api.Test;

/** Ids that stores cannot keep apart or that nobody can read are rejected at the API. */
class ChecksTest {

  @Test
  void anUnpairedSurrogateIsRejectedWithTheCharacterEscaped() {
    assertThatThrownBy(() -> Checks.id("agentId", "ab\uD800c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("agentId must not contain an unpaired surrogate, got 'ab\\uD800c' "
            + "(U+D800 at index 2)");
    assertThatThrownBy(() -> Checks.id("name", "x\uDC00"))
        .hasMessage("name must not contain an unpaired surrogate, got 'x\\uDC00' "
            + "(U+DC00 at index 1)");
    assertThatThrownBy(() -> Checks.id("name", "\uDBFF\uDBFF\uDC00"))
        .hasMessageStartingWith("name must not contain an unpaired surrogate")
        .hasMessageEndingWith("(U+DBFF at index 0)");
    assertThatThrownBy(() -> Checks.optionalId("taskId", "t\uD83D"))
        .hasMessageStartingWith("taskId must not contain an unpaired surrogate");
  }

  @Test
  void aPairedSurrogateIsAnOrdinaryCharacter() {
    assertThat(Checks.id("agentId", "worker-\uD83D\uDE80")).isEqualTo("worker-\uD83D\uDE80");
  }

  @Test
  void anIdOfInvisibleOrWhitespaceCharactersOnlyIsRejected() {
    String[] invisible = {"\u00A0", "\u200B", "\uFEFF", "\u2028", "\u2029", "\u3000",
        "\u202F", "\u2060", "\u00AD", " \u00A0\u200B ", "\u200D\u200C", "\u00A0\t"};
    for (String id : invisible) {
      StringBuilder escaped = new StringBuilder();
      id.chars().forEach(c -> escaped.append(c == ' ' ? " " : String.format("\\u%04X", c)));
      assertThatThrownBy(() -> Checks.id("agentId", id)).as(escaped.toString())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("agentId must " + (id.isBlank() ? "not be blank" : "have a visible character")
              + ", got '" + escaped + "'");
      assertThatThrownBy(() -> Checks.optionalId("taskId", id)).as(escaped.toString())
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("taskId must ");
    }
  }

  @Test
  void invisibleCharactersBesideVisibleOnesAreAllowed() {
    assertThat(Checks.id("agentId", "a\u00A0b")).isEqualTo("a\u00A0b");
    assertThat(Checks.id("agentId", "\u200Bx")).isEqualTo("\u200Bx");
    assertThat(Checks.id("agentId", "w\u00F6rker 7")).isEqualTo("w\u00F6rker 7");
  }

  @Test
  void ordinaryBlankIdsKeepTheirMessage() {
    assertThatThrownBy(() -> Checks.id("agentId", "  "))
        .hasMessage("agentId must not be blank, got '  '");
  }

  @Test
  void theApiRejectsThemToo() {
    HeartbeatsBuilder builder = Heartbeats.builder();
    assertThatThrownBy(() -> builder.holderId("\u200B"))
        .hasMessage("holderId must have a visible character, got '\\u200B'");
    assertThatThrownBy(() -> builder.holderId("h\uDFFF"))
        .hasMessageStartingWith("holderId must not contain an unpaired surrogate");
  }
}
