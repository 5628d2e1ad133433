package dev.heartbeat.file;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Turns any valid id into a file name that is safe on every common file system: lower-case ASCII
 * letters, digits, {@code -} and {@code _} stay as they are; every other UTF-8 byte (upper-case
 * letters included, so that case-insensitive file systems never merge two ids) becomes
 * {@code %XX}. A name longer than {@value #MAX} characters keeps a readable prefix and ends in
 * {@code ~} and a SHA-256 digest of the id. File names are never decoded: every file also holds
 * its id, which is what the store trusts.
 */
final class FileNames {
  static final int MAX = 150;
  private static final int PREFIX = 80;

  private FileNames() {}

  static String encode(String id) {
    byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
        out.append((char) c);
      } else {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
      }
    }
    if (out.length() <= MAX) {
      return out.toString();
    }
    String prefix = out.substring(0, PREFIX);
    int cut = prefix.lastIndexOf('%');
    if (cut > PREFIX - 3) {
      prefix = prefix.substring(0, cut);
    }
    return prefix + "~" + digest(bytes);
  }

  private static String digest(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
