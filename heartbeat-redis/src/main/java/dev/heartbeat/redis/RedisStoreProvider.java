package dev.heartbeat.redis;

import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.HeartbeatStoreProvider;
import dev.heartbeat.spi.StoreUris;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Opens {@link RedisStore}s for {@code redis://host:port[/db]} and {@code rediss://…} URIs, with
 * the default settings. An optional query sets more, each key at most once:
 * {@code ?prefix=NAME} the key prefix; {@code replicas=N} (at least 1) turns on
 * {@link RedisStoreBuilder#waitForReplicas}, with {@code replicaTimeout=T} (default
 * {@link #DEFAULT_REPLICA_TIMEOUT}; a number with {@code ms}, {@code s} or {@code m}, such as
 * {@code 500ms}, or ISO-8601 such as {@code PT0.5S}), for example
 * {@code redis://host:6379/0?prefix=hb&replicas=1&replicaTimeout=500ms}. Found through
 * {@link java.util.ServiceLoader}; build the store with {@link RedisStore#builder} for other
 * settings or a Redis Cluster.
 */
public final class RedisStoreProvider implements HeartbeatStoreProvider {
  /** The {@code replicaTimeout} of a URI that sets {@code replicas} without it. */
  public static final Duration DEFAULT_REPLICA_TIMEOUT = Duration.ofSeconds(1);
  private static final List<String> KNOWN = List.of("prefix", "replicas", "replicaTimeout");

  /** For the service loader. */
  public RedisStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("redis", "rediss");
  }

  @Override
  public HeartbeatStore open(URI uri) {
    return builder(uri).build();
  }

  /**
   * Opens the store at {@code uri} for reading only: connects and checks the server as
   * {@link #open} does, but writes nothing (no epoch marker, so no quarantine starts).
   *
   * @throws dev.heartbeat.StoreNotFoundException when no key of the prefix exists
   */
  @Override
  public HeartbeatStore openExisting(URI uri) {
    return builder(uri).buildExisting();
  }

  /** A builder with the settings of the URI's query. */
  private static RedisStoreBuilder builder(URI uri) {
    if (StoreUris.isBare(uri)) {
      throw new IllegalArgumentException("uri must name a host, such as redis://127.0.0.1:6379,"
          + " got '" + StoreUris.shown(uri) + "'");
    }
    String text = uri.toString();
    String query = uri.getRawQuery();
    if (query == null) {
      return RedisStore.builder(text);
    }
    RedisStoreBuilder builder = RedisStore.builder(text.substring(0, text.indexOf('?')));
    Map<String, String> options = StoreUris.settings("uri parameter", query, KNOWN, text);
    if (options.containsKey("prefix")) {
      builder.uriPrefix(options.get("prefix"));
    }
    String timeout = options.get("replicaTimeout");
    if (options.containsKey("replicas")) {
      builder.waitForReplicas(
          Checks.wholeNumber("uri parameter replicas", options.get("replicas"), 1),
          timeout == null ? DEFAULT_REPLICA_TIMEOUT : duration("replicaTimeout", timeout));
    } else if (timeout != null) {
      throw new IllegalArgumentException("uri parameter replicaTimeout needs replicas=N, got '"
          + query + "'");
    }
    return builder;
  }

  /** A positive duration ({@code 500ms}, {@code 2s}, {@code 1m}, ISO-8601) for uri parameter key. */
  static Duration duration(String key, String value) {
    return Checks.duration("uri parameter " + key, value);
  }
}
