package dev.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What every demo run must show, whichever store and however its members run. */
final class DemoAssertions {
  static final Pattern FAILOVER = Pattern.compile(
      "failover {2}(\\S+) \\(token (\\d+)\\) -> (\\S+) \\(token (\\d+)\\) in [0-9.]+s");

  private DemoAssertions() {}

  /** Exit 0, a failover to another candidate with a higher token, SUSPECT then DEAD, STALLED. */
  static void assertFailoverShown(int code, String out) {
    assertThat(code).as(out).isZero();
    Matcher m = FAILOVER.matcher(out);
    assertThat(m.find()).as(out).isTrue();
    assertThat(m.group(3)).isNotEqualTo(m.group(1));
    assertThat(Long.parseLong(m.group(4))).isGreaterThan(Long.parseLong(m.group(2)));
    assertThat(out).containsPattern("worker-3: SUSPECT after [0-9.]+s, DEAD after [0-9.]+s")
        .containsPattern("worker-2: STALLED after [0-9.]+s")
        .containsPattern("worker-3: ALIVE -> SUSPECT")
        .containsPattern("worker-3: SUSPECT -> DEAD")
        .containsPattern("worker-2: ALIVE -> STALLED")
        .contains("demo ok");
    int suspect = out.indexOf("worker-3: ALIVE -> SUSPECT");
    int dead = out.indexOf("worker-3: SUSPECT -> DEAD");
    assertThat(suspect).isLessThan(dead);
  }
}
