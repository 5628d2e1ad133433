/**
 * The Redis store of heartbeat: Lua compare-and-set leases with fencing tokens, Streams for
 * heartbeat history, a consumer-group feed of beats, Redis Cluster ready. Built explicitly with
 * {@link dev.heartbeat.redis.RedisStore#builder(String)} or opened by URI ({@code redis://},
 * {@code rediss://}) through {@link dev.heartbeat.redis.RedisStoreProvider}.
 */
module dev.heartbeat.redis {
  requires transitive dev.heartbeat;
  requires transitive lettuce.core;
  requires org.slf4j;

  exports dev.heartbeat.redis;

  provides dev.heartbeat.spi.HeartbeatStoreProvider with dev.heartbeat.redis.RedisStoreProvider;
}
