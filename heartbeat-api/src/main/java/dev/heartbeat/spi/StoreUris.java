package dev.heartbeat.spi;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What every store provider does with the URI it is given, written once: show it without its
 * credentials, and read its {@code key=value} settings. Stateless and thread-safe.
 */
public final class StoreUris {
  private static final Pattern USER_INFO = Pattern.compile("//[^/@?#]*@");

  private StoreUris() {}

  /**
   * {@code uri} without the user-info of any {@code //user:password@host}, so that it can be
   * shown in a message or {@link HeartbeatStore#describe()}: {@code redis://:pw@host:6379/0}
   * becomes {@code redis://host:6379/0}. Credentials a URI keeps elsewhere (a JDBC URL's
   * {@code ?password=} or H2's {@code ;PASSWORD=}) are the provider's to remove.
   *
   * @param uri a URI's text; {@code null} stays {@code null}
   * @return the text without user-info
   */
  public static String withoutUserInfo(String uri) {
    return uri == null ? null : USER_INFO.matcher(uri).replaceAll("//");
  }

  /**
   * Whether {@code uri} is a bare {@code scheme:}, nothing after the colon. {@link java.net.URI}
   * cannot hold an empty scheme-specific part, so {@code Heartbeats.open} hands a provider the
   * bare form as {@code scheme:/#} (the root path and an empty fragment), which no one writes by
   * hand: a provider tells it apart here from {@code scheme:/} written out in full, as the file
   * store does (an empty path against the root).
   *
   * @param uri the URI a provider was given
   * @return whether the user gave only the scheme and its colon
   */
  public static boolean isBare(java.net.URI uri) {
    return uri.getScheme() != null && "/".equals(uri.getRawSchemeSpecificPart())
        && "".equals(uri.getRawFragment());
  }

  /**
   * The URI {@code Heartbeats.open} hands a provider for {@code text}: {@code text} itself, or
   * for a bare {@code scheme:} the form {@link #isBare} recognises.
   *
   * @param text a store URI as its user wrote it, not null
   * @return the URI
   * @throws IllegalArgumentException naming {@code uri} when {@code text} is not a URI
   */
  public static java.net.URI parse(String text) {
    Checks.notNull("uri", text);
    String given = text.matches("[A-Za-z][A-Za-z0-9+.-]*:") ? text + "/#" : text;
    try {
      return new java.net.URI(given);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("uri is not a valid URI: '" + withoutUserInfo(text)
          + "' (" + e.getMessage().replace(given, withoutUserInfo(text)) + ")", e);
    }
  }

  /**
   * {@code uri} as its user wrote it, for a message: a {@linkplain #isBare bare} {@code scheme:}
   * as {@code scheme:}, anything else {@linkplain #withoutUserInfo without its user-info}.
   *
   * @param uri the URI a provider was given
   * @return the text to show
   */
  public static String shown(java.net.URI uri) {
    return isBare(uri) ? uri.getScheme() + ":" : withoutUserInfo(uri.toString());
  }

  /**
   * The settings in {@code pairs}, the raw query or fragment of {@code uri}: {@code key=value}
   * pairs joined by {@code &}, each value URL-decoded, in the order given. Every key must be one
   * of {@code known} and be given once, with a value.
   *
   * @param part how messages name a pair's place, such as {@code "uri parameter"} or
   *     {@code "uri fragment"}
   * @param pairs the raw text; {@code null} or empty holds no setting
   * @param known the keys accepted, in the order messages list them
   * @param uri the whole URI, shown in messages without its user-info
   * @return the settings, key to decoded value; unmodifiable
   * @throws IllegalArgumentException naming the key, the known keys and the URI when a key is
   *     unknown, given twice or without {@code =}, or a value is not URL-encoded
   */
  public static Map<String, String> settings(String part, String pairs, Collection<String> known,
      String uri) {
    if (pairs == null || pairs.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : pairs.split("&", -1)) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (!known.contains(key)) {
        throw new IllegalArgumentException(part + " '" + key + "' is unknown (known: "
            + String.join(", ", known) + "): '" + withoutUserInfo(uri) + "'");
      }
      if (eq < 0 || out.containsKey(key)) {
        throw new IllegalArgumentException(part + " " + key + " must be given once, as " + key
            + "=value: '" + withoutUserInfo(uri) + "'");
      }
      try {
        out.put(key, URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(part + " " + key + " must be URL-encoded, got '"
            + pair.substring(eq + 1) + "' in '" + withoutUserInfo(uri) + "'", e);
      }
    }
    return Collections.unmodifiableMap(out);
  }
}
