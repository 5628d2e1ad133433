package dev.heartbeat.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Pins the module: heartbeat-jdbc is dev.heartbeat.jdbc, exports its root package to all, needs
 * the SPI (not the engine), JDBC and SLF4J, and provides the store for {@code jdbc:} URIs.
 */
class ModuleDescriptorTest {
  @Test
  void moduleIsDevHeartbeatJdbcExportingItsPackageAndProvidingTheStore() throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      ModuleDescriptor d = ModuleDescriptor.read(in);
      assertThat(d.name()).isEqualTo("dev.heartbeat.jdbc");
      assertThat(d.exports()).singleElement().satisfies(e -> {
        assertThat(e.source()).isEqualTo("dev.heartbeat.jdbc");
        assertThat(e.isQualified()).isFalse();
      });
      assertThat(d.opens()).isEmpty();
      assertThat(d.requires()).map(r -> r.modifiers() + " " + r.name())
          .containsExactlyInAnyOrder("[MANDATED] java.base", "[TRANSITIVE] dev.heartbeat",
              "[TRANSITIVE] java.sql", "[] org.slf4j",
              "[STATIC] com.zaxxer.hikari"); // HikariCP: optional, only for jdbc: URIs
      assertThat(d.provides()).map(p -> p.service() + " with " + p.providers())
          .containsExactly("dev.heartbeat.spi.HeartbeatStoreProvider with "
              + "[dev.heartbeat.jdbc.JdbcStoreProvider]");
      assertThat(d.packages()).containsExactly("dev.heartbeat.jdbc");
    }
  }
}
