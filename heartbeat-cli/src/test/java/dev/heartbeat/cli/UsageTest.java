package dev.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The command tree: help, version, exit codes of misuse, the module descriptor. */
class UsageTest {

  @Test
  void helpListsTheCommandsAndExitCodes() {
    CliRun r = CliRun.run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("demo", "status", "beat", "watch", "64", "store cannot be reached")
        .doesNotContain(NodeCommand.NAME);
  }

  @Test
  void noCommandAndUnknownOptionsAreUsageErrors() {
    CliRun none = CliRun.run();
    assertThat(none.code()).isEqualTo(64);
    assertThat(none.err()).contains("a command is needed: demo, status, beat, watch, forget or tasks");
    CliRun unknown = CliRun.run("status", "--bogus=password=hunter2");
    assertThat(unknown.code()).isEqualTo(64);
    assertThat(unknown.err()).contains("Unknown option").doesNotContain("hunter2")
        .contains("see: heartbeat status --help");
  }

  @Test
  void theDefaultStoreComesFromTheEnvironment(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    dev.heartbeat.file.FileStore.open(dir).close();
    CliRun r = CliRun.run(Map.of(StoreUri.STORE_ENV, "file:" + dir), d -> { }, false, "status");
    assertThat(r.code()).as("an empty store: " + r.both()).isEqualTo(ExitCodes.MISSING);
    assertThat(r.out()).contains("store file:" + dir);
  }

  @Test
  void moduleDescriptorNamesTheModuleAndExportsNothing() throws Exception {
    java.nio.file.Path classes = java.nio.file.Path.of(
        Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleDescriptor d;
    try (var in = java.nio.file.Files.newInputStream(classes.resolve("module-info.class"))) {
      d = ModuleDescriptor.read(in);
    }
    assertThat(d.name()).isEqualTo("dev.heartbeat.cli");
    assertThat(d.exports()).isEmpty();
    assertThat(d.requires().stream().map(ModuleDescriptor.Requires::name)
        .collect(Collectors.toSet()))
        .contains("dev.heartbeat", "info.picocli", "com.fasterxml.jackson.databind");
    assertThat(d.opens()).singleElement()
        .satisfies(o -> assertThat(o.targets()).containsExactly("info.picocli"));
  }
}
