package dev.heartbeat.redis;

import dev.heartbeat.tck.StoreHarness;
import dev.heartbeat.tck.TaskModelProperties;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;

/**
 * The kit's jqwik task model on a real three-master Redis Cluster, its clock pinned to the
 * test's. The cluster starts with the first try and stops when the JVM exits (jqwik runs the
 * property outside JUnit's class lifecycle).
 */
class RedisClusterTaskModelProperties extends TaskModelProperties {
  @Override
  protected StoreHarness harness() {
    return Shared.HARNESS.pinned();
  }

  /** The cluster, started once on first use. */
  private static final class Shared {
    static final RedisHarness HARNESS = start();

    private static RedisHarness start() {
      RedisCluster cluster = RedisCluster.start();
      RedisClusterClient client = cluster.client();
      Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
        try {
          client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        } finally {
          cluster.close();
        }
      }));
      return new RedisHarness(client);
    }
  }
}
