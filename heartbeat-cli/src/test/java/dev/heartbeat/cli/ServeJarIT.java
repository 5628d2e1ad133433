package dev.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.file.FileStore;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.Beats;
import dev.heartbeat.tck.SelfSigned;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code heartbeat serve} from the built jar, in a process of its own, with TLS (a certificate
 * made now) and a token file: an agent beats through it as a grpcs:// store, then SIGTERM stops
 * it gracefully (it drains, says so, and the beats are in the file store).
 */
class ServeJarIT {
  private static final Path JAR = Path.of(System.getProperty("heartbeat.jar",
      "target/heartbeat-cli.jar"));
  private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
  private static final String TOKEN = "jar-token-of-the-test";

  @TempDir
  Path dir;

  @Test
  void servesOverTlsWithATokenAndStopsGracefullyOnSigterm() throws Exception {
    assertThat(JAR).exists();
    SelfSigned cert = SelfSigned.in(dir);
    Path data = Files.createDirectories(dir.resolve("data"));
    Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    Path log = dir.resolve("serve.log");
    Process p = new ProcessBuilder(JAVA.toString(), "-jar", JAR.toString(), "serve",
        "--store", "file:" + data, "--port", "0", "--token-file", tokenFile.toString(),
        "--tls-cert", cert.cert().toString(), "--tls-key", cert.key().toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      Pattern listening = Pattern.compile("on grpcs://127\\.0\\.0\\.1:(\\d+)");
      Await.until("the server to listen", () -> listening.matcher(read(log)).find()
          || !p.isAlive(), Duration.ofSeconds(60));
      Matcher m = listening.matcher(read(log));
      assertThat(m.find()).as(read(log)).isTrue();
      String uri = "grpcs://127.0.0.1:" + m.group(1) + "?token=" + TOKEN + "&trustCert="
          + cert.cert();
      try (HeartbeatStore store = Heartbeats.openStore(uri)) {
        store.register(Beats.plain("jar-agent", 1));
        assertThat(store.record(Beats.plain("jar-agent", 2))).isPresent();
      }

      p.destroy(); // SIGTERM
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(read(log)).isTrue();
      assertThat(read(log)).contains("serve: stopping").doesNotContain(TOKEN)
          .doesNotContain("Exception");
    } finally {
      p.destroyForcibly();
    }
    try (FileStore store = FileStore.open(data)) {
      assertThat(store.agent("jar-agent")).hasValueSatisfying(h -> assertThat(h.sequence())
          .isEqualTo(2));
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
