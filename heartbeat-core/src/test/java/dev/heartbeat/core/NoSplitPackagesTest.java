package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins "artifact = module = package" across the reactor: no package has sources in two modules,
 * main or test trees alike (a module's own main and test trees share its packages, of course).
 * It walks the source directories of every module the root pom lists, so a test class put in
 * another module's package, as the engine tests once were in heartbeat-tck, fails it.
 */
class NoSplitPackagesTest {
  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

  @Test
  void noPackageHasSourcesInTwoModules() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<String> modules = modules(root);
    assertThat(modules).contains("heartbeat-core", "heartbeat-tck", "heartbeat-api");

    Map<String, Set<String>> owners = new TreeMap<>();
    for (String module : modules) {
      for (String tree : List.of("src/main/java", "src/test/java")) {
        for (String pkg : packages(root.resolve(module).resolve(tree))) {
          owners.computeIfAbsent(pkg, p -> new TreeSet<>()).add(module);
        }
      }
    }

    assertThat(owners).as("packages with sources in more than one module")
        .allSatisfy((pkg, in) -> assertThat(in).as(pkg).hasSize(1));
    assertThat(owners).containsKeys("dev.heartbeat", "dev.heartbeat.core", "dev.heartbeat.tck");
  }

  private static List<String> modules(Path root) throws IOException {
    Matcher m = MODULE.matcher(Files.readString(root.resolve("pom.xml")));
    List<String> modules = new ArrayList<>();
    while (m.find()) {
      modules.add(m.group(1).trim());
    }
    return modules;
  }

  /** The packages that hold at least one .java file (module-info aside) under {@code tree}. */
  private static Set<String> packages(Path tree) throws IOException {
    Set<String> packages = new TreeSet<>();
    if (!Files.isDirectory(tree)) {
      return packages;
    }
    try (Stream<Path> files = Files.walk(tree)) {
      files.filter(f -> f.toString().endsWith(".java"))
          .filter(f -> !f.getFileName().toString().equals("module-info.java"))
          .forEach(f -> packages.add(tree.relativize(f.getParent()).toString()
              .replace(f.getFileSystem().getSeparator(), ".")));
    }
    return packages;
  }
}
