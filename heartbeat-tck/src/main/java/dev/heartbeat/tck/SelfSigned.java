package dev.heartbeat.tck;

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
 * and written as PEM: the certificate and its PKCS#8 private key, for tests of a store or a
 * server over TLS.
 *
 * @param cert the PEM certificate (the chain a server serves, the one a client trusts)
 * @param key the PEM private key
 */
public record SelfSigned(Path cert, Path key) {
  private static final char[] PASSWORD = "changeit".toCharArray();

  /**
   * Makes one in {@code dir}: {@code server.crt} and {@code server.key}.
   *
   * @param dir where the files go
   * @return the two files
   * @throws Exception when keytool fails or the key store cannot be read
   */
  public static SelfSigned in(Path dir) throws Exception {
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
