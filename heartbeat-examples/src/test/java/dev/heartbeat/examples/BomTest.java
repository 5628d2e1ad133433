package dev.heartbeat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * {@code heartbeat-bom} lists every published module of the reactor at the project's version,
 * and nothing else, and has no parent (importing it brings heartbeat's versions only, not the
 * parent's test libraries).
 */
class BomTest {
  private final Path root = Poms.root();
  private final Element parent = Poms.read(root.resolve("pom.xml"));
  private final Element bom = Poms.read(root.resolve("heartbeat-bom/pom.xml"));

  @Test
  void theBomIsAModuleOfTheBuildWithoutAParentAtTheProjectVersion() {
    List<String> modules = Poms.children(Poms.child(parent, "modules"), "module").stream()
        .map(Element::getTextContent).map(String::trim).toList();
    assertThat(modules).contains("heartbeat-bom");
    assertThat(Poms.child(bom, "parent")).as("the BOM's <parent>").isNull();
    assertThat(Poms.text(bom, "groupId")).isEqualTo(Poms.text(parent, "groupId"));
    assertThat(Poms.text(bom, "version")).isEqualTo(Poms.text(parent, "version"));
    assertThat(Poms.text(bom, "packaging")).isEqualTo("pom");
  }

  @Test
  void theBomListsEveryPublishedModuleAtTheProjectVersionAndNothingElse() {
    assertThat(managed(bom)).isEqualTo(published());
  }

  /** artifactId to version of every module of the reactor that is deployed, but the BOM. */
  private Map<String, String> published() {
    Map<String, String> published = new TreeMap<>();
    for (Element module : Poms.children(Poms.child(parent, "modules"), "module")) {
      Element pom = Poms.read(root.resolve(module.getTextContent().trim()).resolve("pom.xml"));
      String artifactId = Poms.text(pom, "artifactId");
      if (!"true".equals(Poms.property(pom, "maven.deploy.skip"))
          && !artifactId.equals("heartbeat-bom")) {
        published.put(artifactId, "${project.version}");
      }
    }
    assertThat(published).as("published modules").containsKeys("heartbeat-api", "heartbeat-core");
    return published;
  }

  private static Map<String, String> managed(Element bom) {
    Map<String, String> managed = new TreeMap<>();
    List<String> otherGroups = new ArrayList<>();
    Element dependencies = Poms.child(Poms.child(bom, "dependencyManagement"), "dependencies");
    for (Element d : Poms.children(dependencies, "dependency")) {
      if (!"dev.heartbeat".equals(Poms.text(d, "groupId"))) {
        otherGroups.add(Poms.text(d, "groupId") + ":" + Poms.text(d, "artifactId"));
      }
      managed.put(Poms.text(d, "artifactId"), Poms.text(d, "version"));
    }
    assertThat(otherGroups).as("entries of other groups").isEmpty();
    return managed;
  }
}
