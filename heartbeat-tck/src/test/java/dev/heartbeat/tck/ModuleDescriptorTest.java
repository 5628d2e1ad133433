package dev.heartbeat.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Pins the module: heartbeat-tck is dev.heartbeat.tck and exports only the kit. */
class ModuleDescriptorTest {
  @Test
  void moduleExportsTheKitAndPassesItsTestLibrariesOn() throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      ModuleDescriptor d = ModuleDescriptor.read(in);
      assertThat(d.name()).isEqualTo("dev.heartbeat.tck");
      assertThat(d.exports()).extracting(ModuleDescriptor.Exports::source)
          .containsExactly("dev.heartbeat.tck");
      assertThat(d.requires()).filteredOn(r -> r.modifiers()
              .contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
          .extracting(ModuleDescriptor.Requires::name)
          .contains("dev.heartbeat.core", "org.junit.jupiter.api", "net.jqwik.api",
              "org.assertj.core");
    }
  }
}
