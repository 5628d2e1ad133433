package dev.heartbeat.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.Beats;
import dev.heartbeat.tck.SelfSigned;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS from PEM files, with a certificate made at test time: a grpcs:// store that trusts it
 * beats through the server (with a token too); a plaintext client, or one that does not trust
 * the certificate, fails saying so.
 */
class TlsTest {
  @TempDir
  Path dir;

  @Test
  void aGrpcsStoreTrustingTheCertificateBeatsOverTls() throws Exception {
    SelfSigned cert = SelfSigned.in(dir);
    try (MemoryStore memory = new MemoryStore();
        HeartbeatGrpcServer server = HeartbeatGrpcServer.builder(memory)
            .tls(cert.cert(), cert.key()).token("tls-token").start()) {
      assertThat(server.uri()).startsWith("grpcs://127.0.0.1:");
      GrpcStoreProvider provider = new GrpcStoreProvider();
      try (HeartbeatStore store = provider.open(URI.create(server.uri() + "?token=tls-token"
          + "&trustCert=" + cert.cert()))) {
        store.register(Beats.plain("tls-agent", 1));
        assertThat(store.record(Beats.plain("tls-agent", 2))).isPresent();
        assertThat(store.describe()).startsWith(server.uri() + " (");
      }
      assertThat(memory.agent("tls-agent")).hasValueSatisfying(h -> assertThat(h.sequence())
          .isEqualTo(2));

      String plain = "grpc://127.0.0.1:" + server.port() + "?token=tls-token&deadlineMs=3000";
      assertThatThrownBy(() -> provider.open(URI.create(plain)))
          .isInstanceOf(HeartbeatStoreException.class).hasMessageContaining("UNAVAILABLE")
          .hasMessageContaining("if the server speaks TLS, open grpcs://");
      assertThatThrownBy(() -> provider.open(URI.create(server.uri() + "?deadlineMs=3000")))
          .as("the JDK's authorities do not trust a self-signed certificate")
          .isInstanceOf(HeartbeatStoreException.class).hasMessageContaining("UNAVAILABLE")
          .hasMessageContaining("TLS");
    }
  }

  @Test
  void filesThatAreNotThereOrNotPemAreRefusedNamingThem() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
    try (MemoryStore memory = new MemoryStore()) {
      assertThatThrownBy(() -> HeartbeatGrpcServer.builder(memory)
          .tls(dir.resolve("missing.crt"), garbage))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("certChain must be a readable file")
          .hasMessageContaining("missing.crt");
      assertThatThrownBy(() -> HeartbeatGrpcServer.builder(memory).tls(garbage, garbage).start())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("certChain")
          .hasMessageContaining("garbage.pem");
      assertThatThrownBy(() -> GrpcStore.builder("127.0.0.1", 1).trustCertificate(garbage)
          .connect())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trustCertificate")
          .hasMessageContaining("garbage.pem");
    }
  }
}
