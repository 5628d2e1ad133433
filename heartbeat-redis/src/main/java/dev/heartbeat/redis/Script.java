package dev.heartbeat.redis;

import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One Lua script: the shared prelude followed by its body, read from this package's resources,
 * its SHA-1 digest for {@code EVALSHA}, and the kind of reply it gives. The digest is computed locally; the first
 * {@code NOSCRIPT} answer (a fresh or restarted server, a new cluster node) falls back to
 * {@code EVAL}, which also loads the script for every later call.
 */
record Script(String name, String body, String sha, ScriptOutputType output) {
  static final Script ACQUIRE = load("acquire", ScriptOutputType.MULTI);
  static final Script RENEW = load("renew", ScriptOutputType.VALUE);
  static final Script RENEW_MANY = load("renew_many", ScriptOutputType.MULTI);
  static final Script RELEASE = load("release", ScriptOutputType.MULTI);
  static final Script BEAT = load("beat", ScriptOutputType.MULTI);
  static final Script PRUNE = load("prune", ScriptOutputType.INTEGER);
  static final Script FORGET = load("forget", ScriptOutputType.INTEGER);
  static final Script PROBE = load("probe", ScriptOutputType.MULTI);
  static final Script NOTICE = load("notice", ScriptOutputType.INTEGER);
  static final Script FRESH = load("fresh", ScriptOutputType.INTEGER);
  static final Script TASK_SUBMIT = task("task_submit", ScriptOutputType.MULTI);
  static final Script TASK_CLAIM = task("task_claim", ScriptOutputType.MULTI);
  static final Script TASK_RENEW = task("task_renew", ScriptOutputType.MULTI);
  static final Script TASK_PROGRESS = task("task_progress", ScriptOutputType.INTEGER);
  static final Script TASK_END = task("task_end", ScriptOutputType.INTEGER);
  static final Script TASK_CANCEL = task("task_cancel", ScriptOutputType.MULTI);
  static final Script TASK_RETRY = task("task_retry", ScriptOutputType.MULTI);
  static final Script TASK_PRUNE = task("task_prune", ScriptOutputType.INTEGER);
  static final Script TASK_COUNTS = task("task_counts", ScriptOutputType.MULTI);

  private static Script load(String name, ScriptOutputType output) {
    return of(name, resource("prelude") + resource(name), output);
  }

  /** A task script: the shared prelude, the task prelude, then its body. */
  private static Script task(String name, ScriptOutputType output) {
    return of(name, resource("prelude") + resource("task_prelude") + resource(name), output);
  }

  private static Script of(String name, String body, ScriptOutputType output) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.UTF_8));
      return new Script(name, body, HexFormat.of().formatHex(digest), output);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JDK", e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = Script.class.getResourceAsStream(name + ".lua")) {
      if (in == null) {
        throw new IllegalStateException("script " + name + ".lua is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
