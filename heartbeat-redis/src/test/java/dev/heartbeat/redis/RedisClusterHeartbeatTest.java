package dev.heartbeat.redis;

import static dev.heartbeat.tck.Beats.plain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.tck.HeartbeatContract;
import dev.heartbeat.tck.StoreHarness;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kit's heartbeat contract on a real three-master Redis Cluster, where the agent registry and
 * the feed live in slots of their own, outside the beat script: nothing goes back in time there
 * too, and {@code forget} takes the agent out of the registry.
 */
class RedisClusterHeartbeatTest extends HeartbeatContract {
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

  @Test
  void forgetTakesTheAgentOutOfTheRegistryInItsOwnSlot() {
    RedisStore store = (RedisStore) open();
    for (int i = 0; i < 20; i++) {
      store.register(plain("agent-" + i, 1));
    }
    for (int i = 0; i < 20; i += 2) {
      assertThat(store.forget("agent-" + i)).isTrue();
    }
    Context ctx = store.context();
    assertThat(ctx.link().await(ctx.link().commands().scard(ctx.keys().agents()), "test"))
        .isEqualTo(10L);
    assertThat(store.agents()).extracting(Heartbeat::agentId).hasSize(10)
        .allSatisfy(id -> assertThat(Integer.parseInt(id.substring(6)) % 2).isEqualTo(1));
  }
}
