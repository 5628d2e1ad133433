package dev.heartbeat.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.function.Supplier;

/** The validated settings of one store, and how they become a connection. */
record StoreSettings(String prefix, int historyLimit, Duration maxLeaseTtl, Duration commandTimeout,
    int feedLength, Supplier<Duration> clockOffset, boolean quarantine, Replicas replicas) {

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
    return new RedisLink(own, true, describe, commandTimeout, replicas);
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
        throw new IllegalArgumentException("uri must start with redis:// or rediss://, got '" + uri + "'");
      }
      if (parsed.getHost() == null) {
        throw new IllegalArgumentException("uri must name a host, got '" + uri + "'");
      }
      String path = parsed.getPath();
      if (path != null && !path.isEmpty() && !path.matches("/\\d{0,2}")) {
        throw new IllegalArgumentException("uri path must be a database number, got '" + uri + "'");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("uri is malformed: '" + uri + "': " + e.getMessage(), e);
    }
  }

  /** Checks a key prefix. */
  static String checkPrefix(String prefix) {
    dev.heartbeat.spi.Checks.id("keyPrefix", prefix);
    if (prefix.length() > 64 || prefix.contains("{") || prefix.contains("}")) {
      throw new IllegalArgumentException(
          "keyPrefix must be at most 64 characters without braces, got '" + prefix + "'");
    }
    return prefix;
  }
}
