package dev.heartbeat.spi;

import java.time.Duration;

/**
 * Argument checks shared by the API records and by stores. Every failure is an
 * {@link IllegalArgumentException} whose message names the parameter and the rejected value.
 */
public final class Checks {
  /** The longest id (agent, task, lease, holder) accepted, in characters. */
  public static final int MAX_ID_LENGTH = 128;
  /** The longest progress text accepted, in characters. */
  public static final int MAX_PROGRESS_LENGTH = 1024;

  private Checks() {}

  /**
   * Checks an identifier: not null, not blank, at most {@value #MAX_ID_LENGTH} characters, no
   * control characters.
   *
   * @return {@code value}
   * @throws IllegalArgumentException naming {@code parameter} and the value
   */
  public static String id(String parameter, String value) {
    if (value == null) {
      throw new IllegalArgumentException(parameter + " must not be null");
    }
    if (value.isBlank()) {
      throw new IllegalArgumentException(parameter + " must not be blank, got '" + value + "'");
    }
    if (value.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException(parameter + " must be at most " + MAX_ID_LENGTH
          + " characters, got " + value.length() + ": '" + abbreviate(value) + "'");
    }
    noControlCharacters(parameter, value);
    return value;
  }

  /** Like {@link #id} but {@code null} is allowed (an absent optional id). */
  public static String optionalId(String parameter, String value) {
    return value == null ? null : id(parameter, value);
  }

  /**
   * Checks free text such as progress: {@code null} allowed, at most
   * {@value #MAX_PROGRESS_LENGTH} characters, no control characters other than tab.
   */
  public static String text(String parameter, String value) {
    if (value == null) {
      return null;
    }
    if (value.length() > MAX_PROGRESS_LENGTH) {
      throw new IllegalArgumentException(parameter + " must be at most " + MAX_PROGRESS_LENGTH
          + " characters, got " + value.length() + ": '" + abbreviate(value) + "'");
    }
    noControlCharacters(parameter, value);
    return value;
  }

  /** Checks that a duration is present and strictly positive. */
  public static Duration positive(String parameter, Duration value) {
    if (value == null) {
      throw new IllegalArgumentException(parameter + " must not be null");
    }
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(parameter + " must be positive, got " + value);
    }
    return value;
  }

  /** Checks that a number is at least {@code min}. */
  public static long atLeast(String parameter, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(parameter + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  /** Checks that a reference is not null. */
  public static <T> T notNull(String parameter, T value) {
    if (value == null) {
      throw new IllegalArgumentException(parameter + " must not be null");
    }
    return value;
  }

  private static void noControlCharacters(String parameter, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) && c != '\t') {
        throw new IllegalArgumentException(parameter + " must not contain control characters, got '"
            + abbreviate(value).replace(c, '?') + "' (U+" + String.format("%04X", (int) c)
            + " at index " + i + ")");
      }
    }
  }

  private static String abbreviate(String value) {
    String safe = value.codePoints()
        .map(cp -> Character.isISOControl(cp) ? '?' : cp)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
    return safe.length() <= 40 ? safe : safe.substring(0, 37) + "...";
  }
}
