package dev.heartbeat.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins the module: heartbeat-micrometer is dev.heartbeat.micrometer, exports only its package,
 * needs the API and Micrometer but not the engine, and makes public only the binder and its
 * builder.
 */
class ModuleDescriptorTest {
  @Test
  void moduleIsDevHeartbeatMicrometerOnTheApiAndMicrometer() throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      ModuleDescriptor d = ModuleDescriptor.read(in);
      assertThat(d.name()).isEqualTo("dev.heartbeat.micrometer");
      assertThat(d.exports()).singleElement().satisfies(e -> {
        assertThat(e.source()).isEqualTo("dev.heartbeat.micrometer");
        assertThat(e.isQualified()).isFalse();
      });
      assertThat(d.requires()).extracting(ModuleDescriptor.Requires::name)
          .contains("dev.heartbeat", "micrometer.core").doesNotContain("dev.heartbeat.core");
      assertThat(d.provides()).isEmpty();
    }
  }

  @Test
  void onlyTheBinderAndItsBuilderArePublic() throws Exception {
    List<String> publicTypes;
    try (Stream<Path> files = Files.list(Path.of("target/classes/dev/heartbeat/micrometer"))) {
      publicTypes = files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".class"))
          .map(n -> "dev.heartbeat.micrometer." + n.substring(0, n.length() - 6))
          .filter(ModuleDescriptorTest::isPublic)
          .sorted().toList();
    }
    assertThat(publicTypes).containsExactly("dev.heartbeat.micrometer.HeartbeatMetrics",
        "dev.heartbeat.micrometer.HeartbeatMetricsBuilder");
  }

  private static boolean isPublic(String className) {
    try {
      return Modifier.isPublic(Class.forName(className).getModifiers());
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
