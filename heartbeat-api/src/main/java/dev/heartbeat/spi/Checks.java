package dev.heartbeat.spi;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argument checks shared by the API records and by stores. Every failure is an
 * {@link IllegalArgumentException} whose message names the parameter and the rejected value.
 */
public final class Checks {
  /** The longest id (agent, task, lease, holder) accepted, in characters. */
  public static final int MAX_ID_LENGTH = 128;
  /** The longest progress text accepted, in characters. */
  public static final int MAX_PROGRESS_LENGTH = 1024;

  private static final Pattern SHORT_DURATION =
      Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private Checks() {}

  /**
   * Checks an identifier: not null, not blank, at most {@value #MAX_ID_LENGTH} characters, no
   * control characters, no unpaired surrogate (stores would keep it as {@code ?}, so two ids that
   * differ only in it would collide), and at least one visible character (not only whitespace,
   * no-break or zero-width spaces, byte order marks and other format or separator characters:
   * Unicode categories Cf, Zs, Zl, Zp). The message writes such characters as Java escapes (a
   * backslash, {@code u} and four hex digits), so that the log shows what was given.
   *
   * @param parameter the name of the parameter, for the message
   * @param value the value to check
   * @return {@code value}
   * @throws IllegalArgumentException naming {@code parameter} and the value
   */
  public static String id(String parameter, String value) {
    if (value == null) {
      throw new IllegalArgumentException(parameter + " must not be null");
    }
    if (value.isBlank()) {
      throw new IllegalArgumentException(parameter + " must not be blank, got '"
          + escapeInvisible(value) + "'");
    }
    if (value.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException(parameter + " must be at most " + MAX_ID_LENGTH
          + " characters, got " + value.length() + ": '" + abbreviate(value) + "'");
    }
    noControlCharacters(parameter, value);
    noUnpairedSurrogate(parameter, value);
    if (value.codePoints().allMatch(Checks::invisible)) {
      throw new IllegalArgumentException(parameter + " must have a visible character, got '"
          + escapeInvisible(value) + "'");
    }
    return value;
  }

  /**
   * Like {@link #id} but {@code null} is allowed (an absent optional id).
   *
   * @param parameter the name of the parameter, for the message
   * @param value the value to check
   * @return {@code value}
   */
  public static String optionalId(String parameter, String value) {
    return value == null ? null : id(parameter, value);
  }

  /**
   * Checks free text such as progress: {@code null} allowed, at most
   * {@value #MAX_PROGRESS_LENGTH} characters, no control characters other than tab.
   *
   * @param parameter the name of the parameter, for the message
   * @param value the value to check
   * @return {@code value}
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

  /**
   * Checks a payload, checkpoint or output kept with a task: not null, at most {@code max}
   * characters, no NUL character (stores keep it as text). Other characters, newlines included,
   * are kept as given.
   *
   * @param parameter the name of the parameter, for the message
   * @param value the value to check
   * @param max the most characters allowed
   * @return {@code value}
   * @throws IllegalArgumentException naming {@code parameter}, the length and the limit
   */
  public static String payload(String parameter, String value, int max) {
    if (value == null) {
      throw new IllegalArgumentException(parameter + " must not be null");
    }
    if (value.length() > max) {
      throw new IllegalArgumentException(parameter + " must be at most " + max
          + " characters, got " + value.length() + ": '" + abbreviate(value) + "'");
    }
    int nul = value.indexOf('\0');
    if (nul >= 0) {
      throw new IllegalArgumentException(parameter + " must not contain a NUL character, found one"
          + " at index " + nul + ": '" + abbreviate(escapeInvisible(value)) + "'");
    }
    return value;
  }

  /**
   * Checks that a duration is present and strictly positive.
   *
   * @param parameter the name of the parameter, for the message
   * @param value the value to check
   * @return {@code value}
   */
  public static Duration positive(String parameter, Duration value) {
    if (value == null) {
      throw new IllegalArgumentException(parameter + " must not be null");
    }
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(parameter + " must be positive, got " + value);
    }
    return value;
  }

  /**
   * Reads a positive duration written short ({@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h};
   * a whole number and a unit) or in ISO-8601 ({@code PT0.5S}), as URIs and command lines give
   * them.
   *
   * @param parameter the name of the parameter, for the message
   * @param text the text to read
   * @return the duration read
   * @throws IllegalArgumentException naming {@code parameter} and the text, when it is not such
   *     a duration or not positive
   */
  public static Duration duration(String parameter, String text) {
    String v = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    Matcher m = SHORT_DURATION.matcher(v);
    Duration d = null;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    } else {
      try {
        d = Duration.parse(v.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    if (d == null) {
      throw new IllegalArgumentException(parameter + " must be a duration such as 500ms, 2s, 5m"
          + " or PT0.5S, got '" + text + "'");
    }
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(parameter + " must be positive, got '" + text + "'");
    }
    return d;
  }

  /**
   * Reads a whole number of at least {@code min} from {@code text}, as URIs give them.
   *
   * @param min the smallest value allowed
   * @param parameter the name of the parameter, for the message
   * @param text the text to read
   * @return the number read
   * @throws IllegalArgumentException naming {@code parameter} and the text otherwise
   */
  public static int wholeNumber(String parameter, String text, int min) {
    try {
      int n = Integer.parseInt(text);
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(parameter + " must be a whole number of at least " + min
        + ", got '" + text + "'");
  }

  /**
   * Checks that a number is at least {@code min}.
   *
   * @param min the smallest value allowed
   * @param parameter the name of the parameter, for the message
   * @param value the value to check
   * @return {@code value}
   */
  public static long atLeast(String parameter, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(parameter + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  /**
   * Checks that a reference is not null.
   *
   * @param <T> the type of the value
   * @param parameter the name of the parameter, for the message
   * @param value the value to check
   * @return {@code value}
   */
  public static <T> T notNull(String parameter, T value) {
    if (value == null) {
      throw new IllegalArgumentException(parameter + " must not be null");
    }
    return value;
  }

  /**
   * Checks a CPU utilisation: not null, and in [0, 1] when present.
   *
   * @param parameter the name the message gives
   * @param value the utilisation, empty when unknown
   * @return {@code value}
   * @throws IllegalArgumentException when it is null or present outside [0, 1]
   */
  public static OptionalDouble cpu(String parameter, OptionalDouble value) {
    notNull(parameter, value);
    if (value.isPresent() && !(value.getAsDouble() >= 0 && value.getAsDouble() <= 1)) {
      throw new IllegalArgumentException(parameter + " must be in [0, 1] or empty, got "
          + value.getAsDouble());
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

  private static void noUnpairedSurrogate(String parameter, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean paired = Character.isHighSurrogate(c) ? i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1)) : !Character.isLowSurrogate(c);
      if (!paired) {
        throw new IllegalArgumentException(parameter + " must not contain an unpaired surrogate,"
            + " got '" + escapeInvisible(abbreviate(value)) + "' (U+"
            + String.format(Locale.ROOT, "%04X", (int) c) + " at index " + i + ")");
      }
      if (Character.isHighSurrogate(c)) {
        i++; // the low half of the pair
      }
    }
  }

  /** Whitespace, format (Cf) and separator (Zs, Zl, Zp) characters, and lone surrogates. */
  private static boolean invisible(int cp) {
    int type = Character.getType(cp);
    return Character.isWhitespace(cp) || Character.isISOControl(cp)
        || type == Character.FORMAT || type == Character.SPACE_SEPARATOR
        || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.SURROGATE;
  }

  /** {@code value} with each invisible character but the plain space written as a Java escape. */
  private static String escapeInvisible(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean lone = Character.isSurrogate(c) && !(Character.isHighSurrogate(c)
          && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1)))
          && !(Character.isLowSurrogate(c) && i > 0
          && Character.isHighSurrogate(value.charAt(i - 1)));
      if (c != ' ' && (lone || !Character.isSurrogate(c) && invisible(c))) {
        out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String abbreviate(String value) {
    String safe = value.codePoints()
        .map(cp -> Character.isISOControl(cp) ? '?' : cp)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
    return safe.length() <= 40 ? safe : safe.substring(0, 37) + "...";
  }
}
