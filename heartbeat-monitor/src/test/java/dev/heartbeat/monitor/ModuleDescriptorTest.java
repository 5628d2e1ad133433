package dev.heartbeat.monitor;

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
 * Pins the module: heartbeat-monitor is dev.heartbeat.monitor, exports only its package, needs
 * the API, the Micrometer binder and the JDK's HTTP server but not the engine, and makes public
 * only the monitor, its builder and the status document's types the CLI shares.
 */
class ModuleDescriptorTest {
  @Test
  void moduleIsDevHeartbeatMonitorOnTheApiTheBinderAndTheJdksServer() throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      ModuleDescriptor d = ModuleDescriptor.read(in);
      assertThat(d.name()).isEqualTo("dev.heartbeat.monitor");
      assertThat(d.exports()).singleElement().satisfies(e -> {
        assertThat(e.source()).isEqualTo("dev.heartbeat.monitor");
        assertThat(e.isQualified()).isFalse();
      });
      assertThat(d.requires()).extracting(ModuleDescriptor.Requires::name)
          .contains("dev.heartbeat", "dev.heartbeat.micrometer", "jdk.httpserver", "java.net.http",
              "micrometer.registry.prometheus")
          .doesNotContain("dev.heartbeat.core");
      assertThat(d.provides()).isEmpty();
    }
  }

  @Test
  void onlyTheMonitorTheNotifierTheirBuildersAndTheStatusTypesArePublic() throws Exception {
    List<String> publicTypes;
    try (Stream<Path> files = Files.list(Path.of("target/classes/dev/heartbeat/monitor"))) {
      publicTypes = files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".class"))
          .map(n -> n.substring(0, n.length() - 6))
          .filter(n -> isPublic("dev.heartbeat.monitor." + n))
          .sorted().toList();
    }
    assertThat(publicTypes).containsExactly("AgentRow", "AlertmanagerNotifier",
        "AlertmanagerNotifierBuilder", "BoundsRule", "LeaseView",
        "LivenessRule", "Monitor", "MonitorBuilder", "Snapshot", "StatusJson", "Thresholds");
  }

  private static boolean isPublic(String className) {
    try {
      return Modifier.isPublic(Class.forName(className).getModifiers());
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
