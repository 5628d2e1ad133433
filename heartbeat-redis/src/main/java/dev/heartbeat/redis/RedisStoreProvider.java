package dev.heartbeat.redis;

import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.HeartbeatStoreProvider;
import java.net.URI;
import java.util.Set;

/**
 * Opens {@link RedisStore}s for {@code redis://host:port[/db]} and {@code rediss://…} URIs, with
 * the default settings. An optional query {@code ?prefix=NAME} sets the key prefix. Found
 * through {@link java.util.ServiceLoader}; build the store with {@link RedisStore#builder} for
 * other settings or a Redis Cluster.
 */
public final class RedisStoreProvider implements HeartbeatStoreProvider {
  /** For the service loader. */
  public RedisStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("redis", "rediss");
  }

  @Override
  public HeartbeatStore open(URI uri) {
    String text = uri.toString();
    String query = uri.getRawQuery();
    RedisStore.Builder builder;
    if (query == null) {
      builder = RedisStore.builder(text);
    } else {
      builder = RedisStore.builder(text.substring(0, text.indexOf('?')));
      for (String pair : query.split("&")) {
        if (pair.startsWith("prefix=")) {
          builder.keyPrefix(java.net.URLDecoder.decode(pair.substring(7),
              java.nio.charset.StandardCharsets.UTF_8));
        } else {
          throw new IllegalArgumentException("uri has an unknown parameter '" + pair
              + "' (only prefix is known): '" + text + "'");
        }
      }
    }
    return builder.build();
  }
}
