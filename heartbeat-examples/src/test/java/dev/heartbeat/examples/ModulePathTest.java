package dev.heartbeat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.tck.ManualTime;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * heartbeat on the module path, not on the class path the other tests use: the API and the
 * engine's jars resolve as modules in a layer of their own, the service loader there finds the
 * engine and {@code memory:} in heartbeat-core's internal package, and that package is exported
 * to no module of the layer. The kit, which has no module-info, has a stable automatic name.
 */
class ModulePathTest {
  @Test
  void theEngineAndTheMemoryStoreOpenOnTheModulePath() throws Exception {
    ModuleFinder jars = ModuleFinder.of(location(Heartbeats.class), location(MemoryStore.class),
        location(org.slf4j.Logger.class),
        location(Class.forName("org.slf4j.simple.SimpleServiceProvider")));
    Configuration config = ModuleLayer.boot().configuration()
        .resolveAndBind(jars, ModuleFinder.of(), Set.of("dev.heartbeat"));
    ModuleLayer layer = ModuleLayer.boot()
        .defineModulesWithOneLoader(config, ClassLoader.getPlatformClassLoader());

    Module api = layer.findModule("dev.heartbeat").orElseThrow();
    Module core = layer.findModule("dev.heartbeat.core").orElseThrow(); // bound as a provider
    assertThat(core.isExported("dev.heartbeat.core")).isTrue();
    assertThat(core.isExported("dev.heartbeat.core.internal")).isFalse();
    assertThat(core.isExported("dev.heartbeat.core.internal", api)).isFalse();

    Class<?> heartbeats = api.getClassLoader().loadClass("dev.heartbeat.Heartbeats");
    assertThat(heartbeats).isNotSameAs(Heartbeats.class);
    try (AutoCloseable hb = (AutoCloseable) heartbeats.getMethod("open", String.class)
        .invoke(null, "memory:")) {
      assertThat(hb.getClass().getModule()).isSameAs(core);
      Object store = heartbeats.getMethod("store").invoke(hb);
      assertThat(store.getClass().getName()).isEqualTo("dev.heartbeat.core.MemoryStore");
      assertThat(store.getClass().getModule()).isSameAs(core);
    }
  }

  @Test
  void theKitHasAStableAutomaticModuleName() throws Exception {
    Path kit = location(ManualTime.class);
    if (Files.isDirectory(kit)) { // a build that stops before package: the jar's manifest setting
      Element archive = Poms.child(Poms.child(Poms.child(Poms.read(Poms.root()
          .resolve("heartbeat-tck/pom.xml")), "build"), "plugins"), "plugin");
      // the setting is an element's name, which the element's text does not carry
      assertThat(archive.getElementsByTagName("Automatic-Module-Name").item(0))
          .as("the kit's Automatic-Module-Name").isNotNull()
          .satisfies(n -> assertThat(n.getTextContent().trim()).isEqualTo("dev.heartbeat.tck"));
      return;
    }
    try (JarFile jar = new JarFile(kit.toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
          .isEqualTo("dev.heartbeat.tck");
    }
    assertThat(ModuleFinder.of(kit).findAll()).singleElement()
        .satisfies(m -> assertThat(m.descriptor().name()).isEqualTo("dev.heartbeat.tck"));
  }

  private static Path location(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
