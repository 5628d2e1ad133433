package dev.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Lease;
import dev.heartbeat.file.FileStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code watch} on the file store; the pacer stands in for the second between refreshes. */
class WatchCommandTest {
  @TempDir
  Path dir;

  @Test
  void refreshesAndHighlightsTheLeaseThatChangedHands() {
    try (FileStore store = FileStore.open(dir)) {
      Records.agent(store, "worker-1", "task-1", 1);
      Records.lease(store, "orchestrator", "candidate-1", Duration.ofHours(1));
    }
    List<Duration> pauses = new ArrayList<>();
    Cli.Pacer handOver = d -> {
      pauses.add(d);
      try (FileStore store = FileStore.open(dir)) {
        Lease held = store.lease("orchestrator").orElseThrow();
        assertThat(store.release("orchestrator", held.holder(), held.token())).isTrue();
        Records.lease(store, "orchestrator", "candidate-2", Duration.ofHours(1));
      }
    };
    CliRun r = CliRun.run(Map.of(), handOver, false, "watch", "--store", "file:" + dir,
        "--count", "2", "--suspect-after", "1h", "--dead-after", "2h", "--stall-after", "1h");
    assertThat(r.code()).as(r.both()).isZero();
    assertThat(pauses).containsExactly(Duration.ofSeconds(1));
    String[] frames = r.out().split("\n\n");
    assertThat(frames).hasSize(2);
    assertThat(frames[0]).containsPattern("\n  orchestrator\\s+candidate-1\\s+1")
        .containsPattern("\n  worker-1\\s+ALIVE").doesNotContain("* ");
    assertThat(frames[1]).containsPattern("\n\\* orchestrator\\s+candidate-2\\s+2")
        .containsPattern("\n  worker-1\\s+ALIVE");
  }

  @Test
  void onATerminalItRedrawsInPlaceAndShowsChangesInReverseVideo() {
    try (FileStore store = FileStore.open(dir)) {
      Records.agent(store, "worker-1", "task-1", 1);
    }
    Cli.Pacer newcomer = d -> {
      try (FileStore store = FileStore.open(dir)) {
        Records.agent(store, "worker-2", "task-2", 1);
      }
    };
    CliRun r = CliRun.run(Map.of(), newcomer, true, "watch", "--store", "file:" + dir,
        "--count", "2", "--every", "250ms", "--suspect-after", "1h", "--dead-after", "2h",
        "--stall-after", "1h");
    assertThat(r.code()).as(r.both()).isZero();
    assertThat(r.out()).startsWith(Ansi.HOME_CLEAR);
    String second = r.out().substring(r.out().lastIndexOf(Ansi.HOME_CLEAR));
    assertThat(second).contains(Ansi.REVERSE + "* worker-2")
        .contains(Ansi.GREEN + "ALIVE").doesNotContain(Ansi.REVERSE + "  worker-1");
  }

  @Test
  void badOptionsAndAnUnreachableStoreAreRefused() {
    CliRun negative = CliRun.run("watch", "--store", "file:" + dir, "--count", "-1");
    assertThat(negative.code()).isEqualTo(64);
    assertThat(negative.err()).contains("--count must be 0 or more, got -1");
    CliRun badEvery = CliRun.run("watch", "--store", "file:" + dir, "--every", "soon");
    assertThat(badEvery.code()).isEqualTo(64);
    assertThat(badEvery.err()).contains("value must be a duration such as 500ms, 2s, 5m or PT0.5S, got 'soon'");
    CliRun early = CliRun.run("watch", "--store", "file:" + dir, "--suspect-after", "2s",
        "--interval", "5s");
    assertThat(early.code()).isEqualTo(64);
    assertThat(early.err()).contains("--suspect-after must be longer than the beat interval "
        + "(5.0s), got 2.0s");
    CliRun inverted = CliRun.run("status", "--store", "file:" + dir, "--suspect-after", "1m",
        "--dead-after", "30s");
    assertThat(inverted.code()).isEqualTo(64);
    assertThat(inverted.err()).contains("--dead-after must be longer than --suspect-after "
        + "(1m00s), got 30s");
    CliRun down = CliRun.run("watch", "--store",
        "redis://:hunter2@127.0.0.1:1", "--count", "1");
    assertThat(down.code()).as(down.both()).isEqualTo(2);
    assertThat(down.out() + down.err()).doesNotContain("hunter2");
  }
}
