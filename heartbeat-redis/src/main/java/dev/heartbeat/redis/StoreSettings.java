package dev.heartbeat.redis;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.spi.StoreUris;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** The validated settings of one store, and how they become a connection. */
record StoreSettings(String prefix, int historyLimit, Duration maxLeaseTtl, Duration commandTimeout,
    int feedLength, Supplier<Duration> clockOffset, Supplier<Instant> pinnedClock,
    boolean quarantine, Replicas replicas, int maxTasks, int taskEvents, boolean taskSignals) {

  /** Opens the link: a client of its own for a URI, or the caller's client. */
  RedisLink connect(String uri, AbstractRedisClient client) {
    if (client != null) {
      String kind = client instanceof RedisClusterClient ? "redis-cluster" : "redis";
      return new RedisLink(client, false, kind + " (given client, prefix " + prefix + ")",
          commandTimeout, replicas);
    }
    RedisURI redisUri = RedisURI.create(uri);
    redisUri.setTimeout(commandTimeout);
    RedisClient own = RedisClient.create(redisUri);
    own.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        .build());
    String describe = (redisUri.isSsl() ? "rediss://" : "redis://") + redisUri.getHost() + ":"
        + redisUri.getPort() + "/" + redisUri.getDatabase() + " (prefix " + prefix + ")";
    try {
      return new RedisLink(own, true, describe, commandTimeout, replicas);
    } catch (HeartbeatStoreException e) {
      if (e.getMessage().contains("DB index is out of range")) {
        HeartbeatStoreException named = new HeartbeatStoreException(describe, "connect",
            "the server has no database " + redisUri.getDatabase() + " (it said 'ERR DB index is"
            + " out of range'; CONFIG GET databases tells how many it has)");
        named.initCause(e.getCause());
        throw named;
      }
      throw e;
    }
  }

  /** Checks a store URI: {@code redis://host:port[/db]} or {@code rediss://…}. */
  static String checkUri(String uri) {
    if (uri == null) {
      throw new IllegalArgumentException("uri must not be null");
    }
    try {
      URI parsed = new URI(uri);
      String scheme = parsed.getScheme();
      if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
        throw new IllegalArgumentException("uri must start with redis:// or rediss://, got '"
            + StoreUris.withoutUserInfo(uri) + "'");
      }
      if (parsed.getHost() == null) {
        checkPort(parsed.getRawAuthority(), uri);
        throw new IllegalArgumentException("uri must name a host, got '"
            + StoreUris.withoutUserInfo(uri) + "'");
      }
      if (parsed.getPort() == 0 || parsed.getPort() > 65535) {
        throw badPort(Integer.toString(parsed.getPort()), uri);
      }
      String path = parsed.getPath();
      if (path != null && !path.isEmpty() && !path.equals("/") && !path.matches("/\\d{1,9}")) {
        throw new IllegalArgumentException("uri path must be a database number, got '"
            + StoreUris.withoutUserInfo(uri) + "'");
      }
      return uri;
    } catch (URISyntaxException e) {
      // the parser's message quotes the input: its password too
      throw new IllegalArgumentException("uri is malformed: '" + StoreUris.withoutUserInfo(uri)
          + "': " + StoreUris.withoutUserInfo(e.getMessage()));
    }
  }

  /**
   * A host whose port is not a number makes {@link URI} give up on the host: say the port is bad,
   * naming it, instead of that no host is named.
   */
  private static void checkPort(String authority, String uri) {
    if (authority == null) {
      return;
    }
    String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
    int colon = hostPort.lastIndexOf(':');
    if (colon > 0 && !hostPort.endsWith("]") && !hostPort.substring(0, colon).isEmpty()) {
      throw badPort(hostPort.substring(colon + 1), uri);
    }
  }

  private static IllegalArgumentException badPort(String port, String uri) {
    return new IllegalArgumentException("uri port must be a number from 1 to 65535, got '" + port
        + "' in '" + StoreUris.withoutUserInfo(uri) + "'");
  }

  /** Checks a key prefix given as {@code keyPrefix}. */
  static String checkPrefix(String prefix) {
    return checkPrefix("keyPrefix", prefix);
  }

  /** Checks a key prefix, naming it as {@code parameter} (the URI's {@code prefix}, say). */
  static String checkPrefix(String parameter, String prefix) {
    dev.heartbeat.spi.Checks.id(parameter, prefix);
    if (prefix.length() > 64 || prefix.contains("{") || prefix.contains("}")) {
      throw new IllegalArgumentException(
          parameter + " must be at most 64 characters without braces, got '" + prefix + "'");
    }
    return prefix;
  }
}
