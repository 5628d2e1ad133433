package dev.heartbeat.core;

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
 * Pins the module: heartbeat-core is dev.heartbeat.core; it exports dev.heartbeat.core (the
 * in-memory store) to all and its internal package only to the benchmarks, and provides the
 * engine and memory: from that internal package, so that the providers are not API.
 */
class ModuleDescriptorTest {
  @Test
  void moduleExportsTheMemoryStoreAndProvidesTheEngineAndMemoryFromItsInternalPackage()
      throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      ModuleDescriptor d = ModuleDescriptor.read(in);
      assertThat(d.name()).isEqualTo("dev.heartbeat.core");
      assertThat(d.exports()).map(ModuleDescriptorTest::render).containsExactlyInAnyOrder(
          "dev.heartbeat.core", "dev.heartbeat.core.internal to [dev.heartbeat.benchmarks]");
      assertThat(d.opens()).isEmpty();
      assertThat(d.requires()).map(r -> r.modifiers() + " " + r.name())
          .containsExactlyInAnyOrder("[MANDATED] java.base", "[TRANSITIVE] dev.heartbeat",
              "[] org.slf4j", "[] jdk.management");
      assertThat(d.provides()).map(p -> p.service() + " with " + p.providers())
          .containsExactlyInAnyOrder(
              "dev.heartbeat.spi.EngineProvider with [dev.heartbeat.core.internal.CoreEngineProvider]",
              "dev.heartbeat.spi.HeartbeatStoreProvider with "
                  + "[dev.heartbeat.core.internal.MemoryStoreProvider]");
      assertThat(d.packages()).containsExactlyInAnyOrder("dev.heartbeat.core",
          "dev.heartbeat.core.internal");
    }
  }

  @Test
  void theExportedPackageMakesOnlyTheMemoryStorePublic() throws Exception {
    List<String> publicTypes;
    try (Stream<Path> files = Files.list(Path.of("target/classes/dev/heartbeat/core"))) {
      publicTypes = files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".class") && !n.equals("package-info.class"))
          .map(n -> "dev.heartbeat.core." + n.substring(0, n.length() - 6))
          .filter(ModuleDescriptorTest::isPublic)
          .sorted().toList();
    }
    assertThat(publicTypes).containsExactly("dev.heartbeat.core.MemoryStore");
  }

  private static String render(ModuleDescriptor.Exports e) {
    return e.isQualified() ? e.source() + " to " + e.targets() : e.source();
  }

  private static boolean isPublic(String className) {
    try {
      return Modifier.isPublic(Class.forName(className, false,
          ModuleDescriptorTest.class.getClassLoader()).getModifiers());
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
