package dev.heartbeat.cli;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.StoreNotFoundException;
import dev.heartbeat.spi.HeartbeatStore;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A store URI as the user gave it, with the password (if any) filled in from
 * {@value #PASSWORD_ENV}, and the masked form that is the only one ever printed.
 *
 * <p>Schemes: {@code file:}, {@code jdbc:}, {@code redis://} (and {@code rediss://}),
 * {@code memory:}, {@code grpc://} (and {@code grpcs://}; a {@code token=} parameter is
 * masked). A JDBC URL with user-info ({@code jdbc:postgresql://user:pw@host/db}) is
 * rewritten to {@code user=} and {@code password=} parameters, which every driver understands.
 *
 * @param uri the URI to open, credentials included: never print it
 * @param scheme the lower-case scheme
 * @param redactor masks the credentials of this URI in any text
 */
record StoreUri(String uri, String scheme, Redactor redactor) {
  /** The environment variable that holds the store's password, when the URI has none. */
  static final String PASSWORD_ENV = "HEARTBEAT_STORE_PASSWORD";
  /** The environment variable that names the default store of status, watch and beat. */
  static final String STORE_ENV = "HEARTBEAT_STORE";
  private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):.*",
      Pattern.DOTALL);
  private static final Pattern JDBC_USER_INFO =
      Pattern.compile("(jdbc:[a-z0-9]+://)([^/@?;]*)@(.*)", Pattern.DOTALL);
  private static final List<String> SCHEMES = List.of("file", "jdbc", "redis", "rediss", "memory",
      "grpc", "grpcs");

  /**
   * Parses and checks a store URI.
   *
   * @throws CliFailure with {@link ExitCodes#USAGE} when it is blank, has no known scheme, or
   *     has control characters
   */
  static StoreUri parse(String text, java.util.Map<String, String> env) {
    if (text == null || text.isBlank()) {
      throw new CliFailure(ExitCodes.USAGE, "--store must be a store URI such as file:/var/lib/"
          + "heartbeat, jdbc:postgresql://127.0.0.1:5432/db or redis://127.0.0.1:6379, got ''");
    }
    Redactor patterns = Redactor.patternsOnly();
    if (text.chars().anyMatch(Character::isISOControl)) {
      throw new CliFailure(ExitCodes.USAGE, "--store must not contain control characters, got '"
          + patterns.redact(text.replaceAll("\\p{Cntrl}", "?")) + "'");
    }
    Matcher m = SCHEME.matcher(text);
    String scheme = m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : "";
    if (!SCHEMES.contains(scheme)) {
      throw new CliFailure(ExitCodes.USAGE, "--store must start with file:, jdbc:, redis://, "
          + "grpc:// or memory:, got '" + patterns.redact(text) + "'");
    }
    String password = env.get(PASSWORD_ENV);
    List<String> secrets = new ArrayList<>();
    secrets.add(password);
    String uri = switch (scheme) {
      case "jdbc" -> jdbc(text, password, secrets);
      case "redis", "rediss" -> redis(text, password, secrets);
      default -> text;
    };
    return new StoreUri(uri, scheme, new Redactor(secrets));
  }

  /** The URI with every credential masked: the only form that is printed. */
  String shown() {
    return redactor.redact(uri);
  }

  boolean isMemory() {
    return scheme.equals("memory");
  }

  /**
   * Opens the store.
   *
   * @throws CliFailure {@link ExitCodes#USAGE} for a URI the store rejects,
   *     {@link ExitCodes#UNREACHABLE} when the store cannot be reached
   */
  HeartbeatStore open() {
    return open(false);
  }

  /**
   * Opens a store that must exist, creating nothing: for the commands that only read (and for
   * {@code forget}, which must not create a store to forget in).
   *
   * @throws CliFailure {@link ExitCodes#MISSING} when there is no store at the URI, else as
   *     {@link #open()}
   */
  HeartbeatStore openExisting() {
    return open(true);
  }

  private HeartbeatStore open(boolean existing) {
    try {
      return existing ? Heartbeats.openExistingStore(uri) : Heartbeats.openStore(uri);
    } catch (StoreNotFoundException e) {
      throw new CliFailure(ExitCodes.MISSING, "store " + shown() + " does not exist: "
          + redactor.redact(e.getMessage()) + "; check the path or URI", e);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.USAGE, "--store " + shown() + " is not usable: "
          + redactor.redact(e.getMessage()), e);
    } catch (HeartbeatStoreException e) {
      throw unreachable(e);
    } catch (RuntimeException e) {
      throw new CliFailure(ExitCodes.UNREACHABLE, "store " + shown() + " cannot be opened: "
          + redactor.redact(String.valueOf(e.getMessage())), e);
    }
  }

  /** The failure to report when the store failed during a command. */
  CliFailure unreachable(RuntimeException e) {
    return new CliFailure(ExitCodes.UNREACHABLE, "store " + shown() + " is unreachable: "
        + redactor.redact(String.valueOf(e.getMessage())), e);
  }

  private static String jdbc(String text, String password, List<String> secrets) {
    String url = text;
    Matcher m = JDBC_USER_INFO.matcher(text);
    if (m.matches()) {
      String info = m.group(2);
      int colon = info.indexOf(':');
      String user = decode(colon < 0 ? info : info.substring(0, colon));
      String pw = colon < 0 ? null : decode(info.substring(colon + 1));
      secrets.add(pw);
      url = m.group(1) + m.group(3);
      url = param(url, "user", user);
      if (pw != null) {
        url = param(url, "password", pw);
      }
    }
    if (password != null && !password.isEmpty() && !url.toLowerCase(Locale.ROOT).contains("password=")) {
      url = param(url, "password", password);
    }
    return url;
  }

  private static String redis(String text, String password, List<String> secrets) {
    int start = text.indexOf("//");
    int at = start < 0 ? -1 : text.indexOf('@', start);
    int slash = start < 0 ? -1 : text.indexOf('/', start + 2);
    boolean hasUserInfo = at > 0 && (slash < 0 || at < slash);
    if (hasUserInfo) {
      String info = text.substring(start + 2, at);
      int colon = info.indexOf(':');
      secrets.add(colon < 0 ? info : decode(info.substring(colon + 1)));
      secrets.add(colon < 0 ? null : info.substring(colon + 1));
      return text;
    }
    if (start < 0 || password == null || password.isEmpty()) {
      return text;
    }
    String encoded = URLEncoder.encode(password, StandardCharsets.UTF_8);
    secrets.add(encoded);
    return text.substring(0, start + 2) + ":" + encoded + "@" + text.substring(start + 2);
  }

  private static String param(String url, String name, String value) {
    String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
    return url + (url.contains("?") ? "&" : "?") + name + "=" + encoded;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
