package dev.heartbeat.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.HeartbeatStoreException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the store checks on its server when it opens, on private servers configured for each
 * case: an {@code allkeys-*} eviction policy and scripts that may not call {@code INFO} are
 * refused naming the setting and the fix; a disabled {@code CONFIG} is warned about with what to
 * check by hand; persistence that loses writes is warned about with the fix.
 */
class RedisServerCheckTest {

  private static RedisStore open(RedisServer server) {
    return RedisStore.builder(server.uri()).keyPrefix("check")
        .commandTimeout(Duration.ofSeconds(2)).build();
  }

  @Test
  void anAllKeysEvictionPolicyIsRefusedNamingTheFix() {
    try (RedisServer server = RedisServer.start("--maxmemory-policy", "allkeys-lru")) {
      assertThatThrownBy(() -> open(server)).isInstanceOf(HeartbeatStoreException.class)
          .hasMessageContaining("maxmemory-policy is allkeys-lru")
          .hasMessageContaining("set maxmemory-policy noeviction")
          .satisfies(e -> assertThat(((HeartbeatStoreException) e).operation()).isEqualTo("open"));
    }
  }

  @Test
  void scriptsThatMayNotCallInfoAreRefused() {
    try (RedisServer server = RedisServer.start("--rename-command", "INFO", "")) {
      assertThatThrownBy(() -> open(server)).isInstanceOf(HeartbeatStoreException.class)
          .hasMessageContaining("scripts cannot call INFO")
          .hasMessageContaining("a restart from an older snapshot");
    }
  }

  @Test
  void aDisabledConfigCommandIsWarnedAboutWithWhatToCheck() {
    try (RedisServer server = RedisServer.start("--rename-command", "CONFIG", "")) {
      try (RedisStore store = open(server)) {
        assertThat(store.serverWarnings()).singleElement().asString()
            .contains("cannot read the server's configuration")
            .contains("maxmemory-policy is noeviction or volatile-*")
            .contains("appendonly yes");
        assertThat(store.register(dev.heartbeat.tck.Beats.plain("a", 1)).sequence()).isEqualTo(1);
      }
    }
  }

  @Test
  void persistenceThatLosesWritesIsWarnedAboutWithTheFix() {
    try (RedisServer server = RedisServer.start(); RedisStore store = open(server)) {
      assertThat(store.serverWarnings()).singleElement().asString()
          .contains("persistence is off").contains("set appendonly yes");
    }
    try (RedisServer server = RedisServer.start("--appendonly", "yes");
        RedisStore store = open(server)) {
      assertThat(store.serverWarnings()).as("AOF, fsync every second: the default").isEmpty();
    }
    assertThat(ServerCheck.persistence(Map.of("appendonly", "no", "save", "3600 1 300 100")))
        .singleElement().asString().contains("RDB snapshots only (save 3600 1 300 100)")
        .contains("appendfsync everysec");
    assertThat(ServerCheck.persistence(Map.of("appendonly", "yes", "appendfsync", "no")))
        .singleElement().asString().contains("set appendfsync everysec");
    assertThat(ServerCheck.persistence(Map.of("appendonly", "yes", "appendfsync", "always")))
        .isEmpty();
  }
}
