package dev.heartbeat.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Lists the record files of a directory, leaving out temporary files of writes in progress. */
final class Listing {
  private Listing() {}

  static List<Path> records(Path dir, String suffix) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(p -> {
        String name = p.getFileName().toString();
        if (name.endsWith(suffix) && !name.startsWith(".")) {
          out.add(p);
        }
      });
    } catch (NoSuchFileException e) {
      return List.of();
    }
    out.sort(null);
    return out;
  }

  /** The file name without {@code suffix}. */
  static String stem(Path file, String suffix) {
    String name = file.getFileName().toString();
    return name.substring(0, name.length() - suffix.length());
  }
}
