package dev.heartbeat.file;

import dev.heartbeat.StoreNotFoundException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The six subdirectories of a store's directory: made at open (and the temporary files of
 * crashed writes swept), checked without making anything for a store that must exist, and made
 * again when they went missing under a live store. A {@code counters} directory that is missing
 * from a directory that held a store was lost with the tokens it counted; the caller is told, so
 * that tokens go on above them ({@link LeaseFiles#countersLost}).
 */
final class Layout {
  static final List<String> DIRECTORIES =
      List.of("agents", "history", "events", "leases", "counters", "locks");
  /** The tasks' directory: not one of the six, made by the first submit (older stores lack it). */
  static final String TASKS = "tasks";
  private static final Duration STALE_TEMPORARY = Duration.ofMinutes(10);

  /** The real path of a made directory, and whether its counters were lost. */
  record Made(Path root, boolean countersLost) {}

  /** What to do when the counters directory had to be made again. */
  interface Lost {
    void countersLost() throws IOException;
  }

  private Layout() {}

  /**
   * {@code dir} absolute and normalised.
   *
   * @throws IllegalArgumentException when it is the root of a file system
   */
  static Path absolute(Path dir) {
    Path given = dir.toAbsolutePath().normalize();
    if (given.getParent() == null) {
      throw new IllegalArgumentException("dir must not be the root of a file system, got '"
          + given + "': a store there would put its six directories at the top of the disk;"
          + " name a directory such as /var/lib/heartbeat");
    }
    return given;
  }

  /** Makes what is missing, sweeps stale temporary files, and proves the directory writable. */
  static Made make(Path given) throws IOException {
    boolean countersLost = !Files.isDirectory(given.resolve("counters"))
        && DIRECTORIES.stream().anyMatch(sub -> Files.isDirectory(given.resolve(sub)));
    for (String sub : DIRECTORIES) {
      Files.createDirectories(given.resolve(sub));
    }
    Path root = given.toRealPath();
    Durable.release(root); // a directory deleted and made again: never force a stale one
    for (String sub : DIRECTORIES) {
      Durable.sweep(root.resolve(sub), STALE_TEMPORARY);
    }
    Path tasks = root.resolve(TASKS);
    if (Files.isDirectory(tasks)) { // made by the first submit; one directory per queue
      try (DirectoryStream<Path> queues = Files.newDirectoryStream(tasks, Files::isDirectory)) {
        for (Path queue : queues) {
          Durable.sweep(queue, STALE_TEMPORARY);
        }
      }
    }
    Path probe = Files.createTempFile(root.resolve("locks"), ".probe", Durable.TEMP_SUFFIX);
    Files.delete(probe);
    return new Made(root, countersLost);
  }

  /**
   * The real path of a store that must exist; touches nothing.
   *
   * @throws StoreNotFoundException when the directory or any subdirectory is missing
   */
  static Path existing(Path given, String store) throws IOException {
    if (!Files.isDirectory(given)) {
      throw new StoreNotFoundException(store, "no directory " + given);
    }
    List<String> missing = DIRECTORIES.stream()
        .filter(sub -> !Files.isDirectory(given.resolve(sub))).toList();
    if (!missing.isEmpty()) {
      throw new StoreNotFoundException(store, "directory " + given + " is not a file store:"
          + " no " + String.join(", ", missing));
    }
    return given.toRealPath();
  }

  /**
   * Makes the subdirectories that are missing under a live store; whether it made any. The
   * directory itself is not made again: a store whose directory is gone says so until someone
   * makes it.
   */
  static boolean remake(Path root, NoSuchFileException cause, Lost lost) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IOException("the store's directory " + root + " is gone; make it again and the"
          + " store makes its layout in it", cause);
    }
    boolean made = false;
    for (String sub : DIRECTORIES) {
      Path path = root.resolve(sub);
      if (!Files.isDirectory(path)) {
        try {
          Files.createDirectory(path);
        } catch (FileAlreadyExistsException e) {
          // another process made it meanwhile
        }
        if (sub.equals("counters")) {
          lost.countersLost(); // tokens must go on above the lost ones
        }
        made = true;
      }
    }
    if (made) {
      Durable.release(root); // their kept channels force directories that are gone
    }
    return made;
  }
}
