package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Pins the module: heartbeat-core is dev.heartbeat.core and provides the engine and memory:. */
class ModuleDescriptorTest {
  @Test
  void moduleProvidesTheEngineAndTheMemoryStore() throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      ModuleDescriptor d = ModuleDescriptor.read(in);
      assertThat(d.name()).isEqualTo("dev.heartbeat.core");
      assertThat(d.exports()).extracting(ModuleDescriptor.Exports::source)
          .containsExactly("dev.heartbeat.core");
      assertThat(d.provides()).extracting(ModuleDescriptor.Provides::service)
          .contains("dev.heartbeat.spi.EngineProvider", "dev.heartbeat.spi.HeartbeatStoreProvider");
    }
  }
}
