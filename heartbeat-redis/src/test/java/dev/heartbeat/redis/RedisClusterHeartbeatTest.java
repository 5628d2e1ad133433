package dev.heartbeat.redis;

import static dev.heartbeat.tck.Beats.plain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.tck.HeartbeatContract;
import dev.heartbeat.tck.StoreHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kit's heartbeat contract on a real three-master Redis Cluster, where the agent registry and
 * the feed live in slots of their own, outside the beat script: nothing goes back in time there
 * too, and {@code forget} takes the agent out of the registry.
 */
class RedisClusterHeartbeatTest extends HeartbeatContract {
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
