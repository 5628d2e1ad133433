package dev.heartbeat.redis;

import dev.heartbeat.tck.ChangesContract;
import dev.heartbeat.tck.StoreHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The kit's incremental read on a real three-master Redis Cluster, where the change index would
 * live in another slot than the agents: every answer is complete, and still right.
 */
class RedisClusterChangesTest extends ChangesContract {
  private static ClusterFixture fixture;

  @BeforeAll
  static void startCluster() {
    fixture = ClusterFixture.start();
  }

  @AfterAll
  static void stopCluster() {
    ClusterFixture.close(fixture);
  }

  @Override
  protected StoreHarness harness() {
    return fixture.harness;
  }
}
