package dev.heartbeat.core;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random ids for agent incarnations: 16 hex digits, unique with overwhelming probability. */
final class Incarnations {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Incarnations() {}

  static String next() {
    return HexFormat.of().toHexDigits(RANDOM.nextLong());
  }
}
