package dev.heartbeat.cli;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made at test time by the JDK's keytool
 * and written as PEM: the certificate and its PKCS#8 private key (as in heartbeat-grpc's tests).
 *
 * @param cert the PEM certificate (the chain a server serves, the one a client trusts)
 * @param key the PEM private key
 */
record SelfSigned(Path cert, Path key) {
  private static final char[] PASSWORD = "changeit".toCharArray();

  static SelfSigned in(Path dir) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Path store = dir.resolve("server.p12");
    Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server",
        "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(keytool + " failed: " + output);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, PASSWORD);
    }
    Certificate cert = ks.getCertificate("server");
    PrivateKey key = (PrivateKey) ks.getKey("server", PASSWORD);
    Path certFile = Files.writeString(dir.resolve("server.crt"), pem("CERTIFICATE",
        cert.getEncoded()));
    Path keyFile = Files.writeString(dir.resolve("server.key"), pem("PRIVATE KEY",
        key.getEncoded()));
    return new SelfSigned(certFile, keyFile);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
