package dev.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.file.FileStore;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.Beats;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code heartbeat serve} on a file store, behind a token from a file: an agent beats through
 * it as the grpc:// store, the beats land in the file store, {@code status} reads them through it,
 * a wrong token is refused, the token is printed nowhere, and an interrupt stops it gracefully.
 */
class ServeCommandTest {
  private static final String TOKEN = "serve-token-of-the-test";

  @TempDir
  Path dir;

  @Test
  void anAgentBeatsThroughTheServerIntoTheStore() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Cli cli = new Cli(new PrintWriter(out, true), new PrintWriter(err, true), Map.of(),
        Cli.Pacer.REAL, new Ansi(false));
    AtomicInteger code = new AtomicInteger(-1);
    Thread running = Thread.ofPlatform().start(() -> code.set(Main.run(cli, "serve",
        "--store", "file:" + data, "--port", "0", "--token-file", tokenFile.toString())));
    try {
      Pattern listening = Pattern.compile("on grpc://127\\.0\\.0\\.1:(\\d+)");
      Await.until("the server to listen: " + out + err,
          () -> listening.matcher(out.toString()).find() || !running.isAlive());
      Matcher m = listening.matcher(out.toString());
      assertThat(m.find()).as(out + "\n" + err).isTrue();
      String uri = "grpc://127.0.0.1:" + m.group(1);
      assertThat(out.toString()).contains("bearer token required").doesNotContain(TOKEN);

      try (HeartbeatStore store = Heartbeats.openStore(uri + "?token=" + TOKEN)) {
        store.register(Beats.plain("node-7", 1));
        assertThat(store.record(Beats.plain("node-7", 2))).isPresent();
      }
      CliRun status = CliRun.run("status", "--store", uri + "?token=" + TOKEN, "--json");
      assertThat(status.code()).as(status.both()).isIn(ExitCodes.OK, 1);
      assertThat(status.out()).contains("\"node-7\"", "token=***").doesNotContain(TOKEN);
      assertThatThrownBy(() -> Heartbeats.openStore(uri + "?token=not-it"))
          .isInstanceOf(HeartbeatStoreException.class).hasMessageContaining("UNAUTHENTICATED");
    } finally {
      running.interrupt();
      running.join(20_000);
    }
    assertThat(running.isAlive()).isFalse();
    assertThat(code.get()).as(out + "\n" + err).isZero();
    assertThat(out.toString()).contains("serve: stopping");
    try (FileStore store = FileStore.open(data)) {
      assertThat(store.agent("node-7")).hasValueSatisfying(h -> assertThat(h.sequence())
          .isEqualTo(2));
    }
  }

  @Test
  void halfATlsPairOrAMissingTokenFileIsAUsageErrorNamingIt() {
    CliRun half = CliRun.run("serve", "--store", "memory:", "--port", "0", "--tls-cert",
        dir.resolve("server.crt").toString());
    assertThat(half.code()).as(half.both()).isEqualTo(ExitCodes.USAGE);
    assertThat(half.err()).contains("--tls-cert and --tls-key go together");

    CliRun missing = CliRun.run("serve", "--store", "memory:", "--port", "0", "--token-file",
        dir.resolve("no-token").toString());
    assertThat(missing.code()).as(missing.both()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("--token-file", "no-token", "cannot be read");

    CliRun notPem = CliRun.run("serve", "--store", "memory:", "--port", "0", "--tls-cert",
        dir.toString(), "--tls-key", dir.toString());
    assertThat(notPem.code()).as(notPem.both()).isEqualTo(ExitCodes.USAGE);
    assertThat(notPem.err()).contains("certChain must be a readable file");
  }

  @Test
  void theTokenOfAGrpcStoreUriIsMasked() {
    assertThat(Redactor.patternsOnly().redact("grpc://127.0.0.1:1?token=abc&deadlineMs=5"))
        .isEqualTo("grpc://127.0.0.1:1?token=***&deadlineMs=5");
  }
}
