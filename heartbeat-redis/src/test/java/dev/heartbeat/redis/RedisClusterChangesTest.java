package dev.heartbeat.redis;

import dev.heartbeat.tck.ChangesContract;
import dev.heartbeat.tck.StoreHarness;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The kit's incremental read on a real three-master Redis Cluster, where the change index would
 * live in another slot than the agents: every answer is complete, and still right.
 */
class RedisClusterChangesTest extends ChangesContract {
  private static RedisCluster cluster;
  private static RedisClusterClient client;
  private static RedisHarness harness;

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.start();
    client = cluster.client();
    harness = new RedisHarness(client);
  }

  @AfterAll
  static void stopCluster() {
    try {
      if (client != null) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  @Override
  protected StoreHarness harness() {
    return harness;
  }
}
