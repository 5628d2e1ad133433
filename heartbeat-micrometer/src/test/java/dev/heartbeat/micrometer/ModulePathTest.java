package dev.heartbeat.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.core.MemoryStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The binder on the module path, not on the class path the other tests use: its module
 * resolves against the API, the engine and Micrometer's automatic module in a layer of their
 * own, and binds an engine's meters to a registry there.
 */
class ModulePathTest {
  @Test
  void theBinderResolvesAndBindsOnTheModulePath() throws Exception {
    ModuleFinder jars = ModuleFinder.of(Path.of("target/classes"), location(Heartbeats.class),
        location(MemoryStore.class), location(MeterRegistry.class),
        location(io.micrometer.common.KeyValue.class),
        location(io.micrometer.observation.Observation.class),
        location(org.slf4j.Logger.class),
        location(Class.forName("org.slf4j.simple.SimpleServiceProvider")));
    Configuration config = ModuleLayer.boot().configuration()
        .resolveAndBind(jars, ModuleFinder.of(), Set.of("dev.heartbeat.micrometer"));
    ModuleLayer layer = ModuleLayer.boot()
        .defineModulesWithOneLoader(config, ClassLoader.getPlatformClassLoader());
    Module binder = layer.findModule("dev.heartbeat.micrometer").orElseThrow();
    assertThat(binder.getDescriptor().isAutomatic()).isFalse();
    assertThat(layer.findModule("micrometer.core").orElseThrow().getDescriptor().isAutomatic())
        .isTrue();

    ClassLoader loader = binder.getClassLoader();
    Class<?> heartbeats = loader.loadClass("dev.heartbeat.Heartbeats");
    Class<?> metricsType = loader.loadClass("dev.heartbeat.micrometer.HeartbeatMetrics");
    Class<?> registryType = loader.loadClass("io.micrometer.core.instrument.MeterRegistry");
    assertThat(metricsType.getModule()).isSameAs(binder);
    try (AutoCloseable hb = (AutoCloseable) heartbeats.getMethod("open", String.class)
        .invoke(null, "memory:")) {
      Object registry = loader.loadClass(
          "io.micrometer.core.instrument.simple.SimpleMeterRegistry").getConstructor()
          .newInstance();
      try (AutoCloseable metrics = (AutoCloseable) metricsType.getMethod("of", heartbeats)
          .invoke(null, hb)) {
        metricsType.getMethod("bindTo", registryType).invoke(metrics, registry);
        List<?> meters = (List<?>) registryType.getMethod("getMeters").invoke(registry);
        assertThat(meters).hasSizeGreaterThan(10);
      }
      assertThat((List<?>) registryType.getMethod("getMeters").invoke(registry)).isEmpty();
    }
  }

  private static Path location(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
