package dev.heartbeat.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.spi.HeartbeatStoreProvider;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins the module: heartbeat-redis is dev.heartbeat.redis, exports only its root package,
 * provides the store provider, and makes public only the store, its builder, the feed and the
 * provider.
 */
class ModuleDescriptorTest {
  @Test
  void moduleIsDevHeartbeatRedisAndProvidesTheStore() throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      ModuleDescriptor d = ModuleDescriptor.read(in);
      assertThat(d.name()).isEqualTo("dev.heartbeat.redis");
      assertThat(d.exports()).singleElement().satisfies(e -> {
        assertThat(e.source()).isEqualTo("dev.heartbeat.redis");
        assertThat(e.isQualified()).isFalse();
      });
      assertThat(d.requires()).extracting(ModuleDescriptor.Requires::name)
          .contains("dev.heartbeat", "lettuce.core").doesNotContain("dev.heartbeat.core");
      assertThat(d.provides()).singleElement().satisfies(p -> {
        assertThat(p.service()).isEqualTo("dev.heartbeat.spi.HeartbeatStoreProvider");
        assertThat(p.providers()).containsExactly("dev.heartbeat.redis.RedisStoreProvider");
      });
    }
  }

  @Test
  void onlyTheStoreItsBuilderTheFeedAndTheProviderArePublic() throws Exception {
    List<String> publicTypes;
    try (Stream<Path> files = Files.list(Path.of("target/classes/dev/heartbeat/redis"))) {
      publicTypes = files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".class"))
          .map(n -> "dev.heartbeat.redis." + n.substring(0, n.length() - 6))
          .filter(n -> isPublic(n))
          .sorted().toList();
    }
    assertThat(publicTypes).containsExactly("dev.heartbeat.redis.RedisHeartbeatFeed",
        "dev.heartbeat.redis.RedisStore", "dev.heartbeat.redis.RedisStoreBuilder",
        "dev.heartbeat.redis.RedisStoreProvider");
  }

  @Test
  void theServiceLoaderFindsTheProviderForBothSchemes() {
    assertThat(ServiceLoader.load(HeartbeatStoreProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p instanceof RedisStoreProvider)
        .findFirst()).get().extracting(HeartbeatStoreProvider::schemes)
        .satisfies(s -> assertThat(s).containsExactlyInAnyOrder("redis", "rediss"));
  }

  private static boolean isPublic(String className) {
    try {
      return Modifier.isPublic(Class.forName(className).getModifiers());
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
