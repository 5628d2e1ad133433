package dev.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Pins the module: artifact heartbeat-api is module dev.heartbeat, exporting API and SPI only. */
class ModuleDescriptorTest {
  @Test
  void moduleExportsApiAndSpi() throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      ModuleDescriptor d = ModuleDescriptor.read(in);
      assertThat(d.name()).isEqualTo("dev.heartbeat");
      assertThat(d.exports()).extracting(ModuleDescriptor.Exports::source)
          .containsExactlyInAnyOrder("dev.heartbeat", "dev.heartbeat.spi");
      assertThat(d.uses()).containsExactlyInAnyOrder("dev.heartbeat.spi.EngineProvider",
          "dev.heartbeat.spi.HeartbeatStoreProvider");
      assertThat(d.requires()).extracting(ModuleDescriptor.Requires::name)
          .containsExactly("java.base");
    }
  }
}
