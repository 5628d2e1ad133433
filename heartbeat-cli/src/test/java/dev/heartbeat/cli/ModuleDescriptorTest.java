package dev.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Pins the module: heartbeat-cli is dev.heartbeat.cli; it exports nothing (a command, not a
 * library), opens its package to picocli alone, and needs the API (stores and the engine are
 * found by the service loader), picocli and Jackson.
 */
class ModuleDescriptorTest {
  @Test
  void moduleIsDevHeartbeatCliExportingNothingAndOpeningItsPackageToPicocli() throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      ModuleDescriptor d = ModuleDescriptor.read(in);
      assertThat(d.name()).isEqualTo("dev.heartbeat.cli");
      assertThat(d.exports()).isEmpty();
      assertThat(d.opens()).map(o -> o.source() + " to " + o.targets())
          .containsExactly("dev.heartbeat.cli to [info.picocli]");
      assertThat(d.requires()).map(r -> r.modifiers() + " " + r.name())
          .containsExactlyInAnyOrder("[MANDATED] java.base", "[] dev.heartbeat",
              "[] info.picocli", "[] com.fasterxml.jackson.databind",
              "[] dev.heartbeat.monitor", "[] dev.heartbeat.grpc");
      assertThat(d.provides()).isEmpty();
      assertThat(d.packages()).containsExactly("dev.heartbeat.cli");
    }
  }
}
