package dev.heartbeat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code ```java} block of every README (the project's and each module's) compiles against the project's modules (this test's
 * class path). A block that declares a type is compiled as it is; any other block is a run of
 * statements and becomes the body of a method. Either way the block may start with its own
 * imports, and the API's packages, {@code java.time} and {@code java.util} are imported for it.
 * Only compiled, not run: the README's blocks are sketches on real types, not programs.
 */
class ReadmeCodeTest {
  private static final String IMPORTS = "import dev.heartbeat.*; import dev.heartbeat.spi.*; "
      + "import dev.heartbeat.core.*; import dev.heartbeat.file.*; import dev.heartbeat.jdbc.*; "
      + "import dev.heartbeat.redis.*; import java.time.*; import java.util.*; "
      + "import java.util.concurrent.*; import java.nio.file.*; ";
  private static final Pattern TYPE = Pattern.compile(
      "^(public\\s+|final\\s+|abstract\\s+|sealed\\s+)*(class|record|interface|enum)\\s.*");

  @TempDir Path out;

  /** One {@code ```java} block: where it starts in the README and its lines. */
  record Block(int firstLine, List<String> lines) {}

  /** The README of the project and of each module (a module's folder holds at most one). */
  static List<String> readmes() throws IOException {
    List<String> names = new ArrayList<>(List.of("README.md"));
    try (var dirs = Files.list(Poms.root())) {
      dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml")))
          .filter(d -> Files.isRegularFile(d.resolve("README.md")))
          .map(d -> d.getFileName() + "/README.md").sorted().forEach(names::add);
    }
    return names;
  }

  @ParameterizedTest
  @MethodSource("readmes")
  void everyJavaBlockOfTheReadmeCompiles(String name) throws IOException {
    Path readme = Poms.root().resolve(name);
    List<Block> blocks = blocks(Files.readAllLines(readme));
    if (name.equals("README.md")) {
      assertThat(blocks).as("```java blocks in " + readme).isNotEmpty();
    }
    if (blocks.isEmpty()) {
      return; // a README without java blocks has nothing to compile
    }

    List<JavaFileObject> units = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      units.add(unit("ReadmeBlock" + (i + 1), blocks.get(i)));
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    boolean ok = javac.getTask(null, null, diagnostics,
        List.of("--release", "21", "-proc:none", "-d", out.toString(),
            "-classpath", System.getProperty("java.class.path")),
        null, units).call();

    List<String> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() == Diagnostic.Kind.ERROR) {
        int block = units.indexOf(d.getSource());
        long readmeLine = block < 0 ? -1 : blocks.get(block).firstLine() + d.getLineNumber() - 2;
        errors.add(name + " line " + readmeLine + ": " + d.getMessage(Locale.ROOT));
      }
    }
    assertThat(errors).as("compile errors of the README's java blocks").isEmpty();
    assertThat(ok).isTrue();
  }

  @Test
  void aBrokenBlockIsCaught() {
    Block broken = new Block(1, List.of("Heartbeats hb = Heartbeats.open(\"memory:\");",
        "hb.detector().onChange(change -> /* ... */);"));
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    boolean ok = ToolProvider.getSystemJavaCompiler().getTask(null, null, diagnostics,
        List.of("-proc:none", "-d", out.toString(),
            "-classpath", System.getProperty("java.class.path")),
        null, List.of(unit("Broken", broken))).call();
    assertThat(ok).isFalse();
  }

  /** The {@code ```java} blocks, each with the README line number of its first line. */
  static List<Block> blocks(List<String> readme) {
    List<Block> blocks = new ArrayList<>();
    List<String> current = null;
    int first = 0;
    for (int i = 0; i < readme.size(); i++) {
      String line = readme.get(i);
      if (current == null && line.strip().equals("```java")) {
        current = new ArrayList<>();
        first = i + 2; // 1-based number of the line after the fence
      } else if (current != null && line.strip().startsWith("```")) {
        blocks.add(new Block(first, current));
        current = null;
      } else if (current != null) {
        current.add(line);
      }
    }
    assertThat(current).as("an unclosed ```java block at README.md line " + (first - 1)).isNull();
    return blocks;
  }

  /**
   * The block as a compilation unit whose line 2 is the block's first line (its imports and the
   * wrapper's opening share line 1), so that an error's line maps back to the README.
   */
  static JavaFileObject unit(String name, Block block) {
    StringBuilder header = new StringBuilder(IMPORTS);
    List<String> body = new ArrayList<>();
    boolean declaresType = false;
    for (String line : block.lines()) {
      String s = line.strip();
      if (body.stream().allMatch(String::isEmpty) && s.startsWith("import ")) {
        header.append(s).append(' ');
        body.add(""); // keeps the line numbers
        continue;
      }
      body.add(line);
      declaresType |= TYPE.matcher(s).matches() && line.equals(s);
    }
    String source = declaresType
        ? header + "\n" + String.join("\n", body) + "\n"
        : header + "class " + name + " { void block() throws Exception {\n"
            + String.join("\n", body) + "\n} }\n";
    String file = declaresType ? publicTypeName(body, name) : name;
    return new SimpleJavaFileObject(URI.create("string:///" + file + ".java"),
        JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return source;
      }
    };
  }

  private static String publicTypeName(List<String> body, String fallback) {
    var m = Pattern.compile("^public\\s+(?:final\\s+|abstract\\s+|sealed\\s+)*"
        + "(?:class|record|interface|enum)\\s+(\\w+)").matcher("");
    for (String line : body) {
      if (m.reset(line).find()) {
        return m.group(1);
      }
    }
    return fallback;
  }
}
