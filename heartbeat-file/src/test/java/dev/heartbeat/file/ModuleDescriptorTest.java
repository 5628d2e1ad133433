package dev.heartbeat.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins the module: its name, what it exports, requires and provides. */
class ModuleDescriptorTest {

  @Test
  void moduleIsDevHeartbeatFileExportingOnlyItsPackageAndProvidingTheStore() throws IOException {
    ModuleDescriptor module;
    try (InputStream in = Files.newInputStream(Path.of("target", "classes",
        "module-info.class"))) {
      module = ModuleDescriptor.read(in);
    }
    assertThat(module.name()).isEqualTo("dev.heartbeat.file");
    assertThat(module.exports()).extracting(ModuleDescriptor.Exports::source)
        .containsExactly("dev.heartbeat.file");
    assertThat(module.exports()).allMatch(e -> !e.isQualified());
    assertThat(module.opens()).isEmpty();
    Set<String> requires = module.requires().stream().map(ModuleDescriptor.Requires::name)
        .collect(Collectors.toSet());
    assertThat(requires).contains("dev.heartbeat", "com.fasterxml.jackson.databind")
        .doesNotContain("dev.heartbeat.core"); // a store needs the SPI alone
    assertThat(module.provides()).singleElement().satisfies(p -> {
      assertThat(p.service()).isEqualTo("dev.heartbeat.spi.HeartbeatStoreProvider");
      assertThat(p.providers()).containsExactly("dev.heartbeat.file.FileStoreProvider");
    });
  }

  @Test
  void onlyTheStoreAndItsProviderArePublic() {
    assertThat(java.lang.reflect.Modifier.isFinal(FileStore.class.getModifiers())).isTrue();
    for (Class<?> c : new Class<?>[] {FileNames.class, Durable.class, FileLocks.class, Json.class,
        Records.class, Journal.class, AgentFiles.class, LeaseFiles.class, Listing.class,
        BadRecord.class}) {
      assertThat(java.lang.reflect.Modifier.isPublic(c.getModifiers())).as(c.getName()).isFalse();
    }
  }
}
