package dev.heartbeat.cli;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Masks credentials in every text the command prints: the user-info of a URI
 * ({@code //user:secret@host} becomes {@code //***@host}), {@code password=} and
 * {@code user=} parameters of a JDBC URL, the {@code token=} of a {@code grpc://} URI, and any
 * secret value it was told about (such as a
 * password read from an environment variable), wherever it appears.
 */
final class Redactor {
  static final String MASK = "***";
  private static final Pattern USER_INFO = Pattern.compile("(//)[^/@\\s'\"]*@");
  private static final Pattern PARAMS =
      Pattern.compile("(?i)((?:password|pass|pwd|user|username|token)=)[^&;\\s'\"]*");

  private final List<String> secrets;

  Redactor(List<String> secrets) {
    this.secrets = secrets.stream().filter(s -> s != null && !s.isEmpty()).toList();
  }

  /** A redactor that knows no secret values; it still masks user-info and password parameters. */
  static Redactor patternsOnly() {
    return new Redactor(List.of());
  }

  /** {@code text} with every credential masked; {@code null} stays {@code null}. */
  String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String secret : secrets) {
      out = out.replace(secret, MASK);
    }
    out = USER_INFO.matcher(out).replaceAll("$1" + MASK + "@");
    return PARAMS.matcher(out).replaceAll("$1" + MASK);
  }
}
