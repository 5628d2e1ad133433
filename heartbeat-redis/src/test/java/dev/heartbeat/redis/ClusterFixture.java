package dev.heartbeat.redis;

import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;

/**
 * A real three-master Redis Cluster, a client of it and the kit's harness on that client, for
 * the test classes that run one of the kit's contracts on a cluster: each starts one in its
 * {@code @BeforeAll} and closes it in its {@code @AfterAll}.
 */
final class ClusterFixture implements AutoCloseable {
  final RedisCluster cluster;
  final RedisClusterClient client;
  final RedisHarness harness;

  private ClusterFixture(RedisCluster cluster) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.harness = new RedisHarness(client);
  }

  static ClusterFixture start() {
    return new ClusterFixture(RedisCluster.start());
  }

  /** Closes the fixture a class holds, if it started one. */
  static void close(ClusterFixture fixture) {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Override
  public void close() {
    try {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    } finally {
      cluster.close();
    }
  }
}
