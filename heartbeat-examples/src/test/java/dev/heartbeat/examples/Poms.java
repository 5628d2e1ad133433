package dev.heartbeat.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** Reads the project's POMs from the checkout (the tests run in heartbeat-examples/). */
final class Poms {
  private Poms() {}

  /** The repository's root: the directory above this module, holding the parent POM. */
  static Path root() {
    Path root = Path.of("").toAbsolutePath().getParent();
    if (!Files.isRegularFile(root.resolve("pom.xml"))
        || !Files.isDirectory(root.resolve("heartbeat-examples"))) {
      throw new IllegalStateException("not run from heartbeat-examples/: " + Path.of("").toAbsolutePath());
    }
    return root;
  }

  static Element read(Path pom) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(false);
      Document doc = factory.newDocumentBuilder().parse(pom.toFile());
      return doc.getDocumentElement();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ParserConfigurationException | SAXException e) {
      throw new IllegalStateException("cannot parse " + pom, e);
    }
  }

  /** The text of the direct child {@code name} of {@code parent}, or {@code null}. */
  static String text(Element parent, String name) {
    Element child = child(parent, name);
    return child == null ? null : child.getTextContent().trim();
  }

  static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    for (Node n = parent == null ? null : parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        found.add(e);
      }
    }
    return found;
  }

  /** A property of {@code pom}'s own {@code <properties>}, or {@code null}. */
  static String property(Element pom, String name) {
    Element properties = child(pom, "properties");
    return properties == null ? null : text(properties, name);
  }
}
