package dev.heartbeat.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Durable file operations. {@link #replace} writes a temporary file in the target's directory,
 * forces it to disk, renames it over the target atomically and forces the directory, so a reader
 * sees the old file or the new one, never half of one, and a crash after it returns keeps the new
 * one. Forcing a directory is not possible on every platform; there it is skipped.
 */
final class Durable {
  static final String TEMP_SUFFIX = ".tmp";
  static final int MAX_DIRECTORIES = 64;
  /** A kept directory channel and the file key of the directory it has open. */
  private record Kept(FileChannel channel, Object key) {}

  private static final java.util.concurrent.ConcurrentHashMap<Path, Kept> DIRECTORIES =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final java.util.concurrent.atomic.AtomicLong FORCES =
      new java.util.concurrent.atomic.AtomicLong();
  private static final java.util.concurrent.atomic.AtomicLong OPENED =
      new java.util.concurrent.atomic.AtomicLong();

  private Durable() {}

  /** Atomically and durably replaces (or creates) {@code target} with {@code content}. */
  static void replace(Path target, byte[] content) throws IOException {
    replace(target, content, true);
  }

  /**
   * Atomically replaces {@code target} with {@code content}, forced to disk; with
   * {@code syncDirectory} false the rename is durable only once the caller forces the directory.
   */
  static void replace(Path target, byte[] content, boolean syncDirectory) throws IOException {
    Path dir = target.getParent();
    Path temp = dir.resolve("." + target.getFileName() + "."
        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX);
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        writeFully(out, ByteBuffer.wrap(content));
        out.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    if (syncDirectory) {
      forceDirectory(dir);
    }
  }

  /** Durably deletes {@code target}; {@code false} when it did not exist. */
  static boolean delete(Path target) throws IOException {
    boolean deleted = Files.deleteIfExists(target);
    if (deleted) {
      forceDirectory(target.getParent());
    }
    return deleted;
  }

  /**
   * Appends {@code line} at byte {@code at} of {@code file} (created if missing), cutting off
   * whatever followed {@code at} first (the uncommitted tail of a crashed write), and forces it.
   */
  static void appendAt(Path file, long at, byte[] line) throws IOException {
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      boolean created = out.size() == 0 && at == 0;
      if (out.size() > at) {
        out.truncate(at);
      }
      out.position(at);
      writeFully(out, ByteBuffer.wrap(line));
      out.force(true);
      if (created) {
        forceDirectory(file.getParent());
      }
    }
  }

  /**
   * Reads a whole record file; {@code null} when it does not exist.
   *
   * @throws BadRecord when the path is not a regular file (a directory named like a record, a
   *     pipe that reading would block on)
   */
  static byte[] readOrNull(Path file) throws IOException, BadRecord {
    try {
      if (!Files.readAttributes(file, BasicFileAttributes.class).isRegularFile()) {
        throw new BadRecord(Files.isDirectory(file) ? "a directory, not a record file"
            : "not a regular file");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /**
   * Deletes temporary files in {@code dir} older than {@code age}: leftovers of writes that a
   * crash interrupted (a live write's temporary file lives for milliseconds).
   */
  static void sweep(Path dir, java.time.Duration age) throws IOException {
    java.nio.file.attribute.FileTime before = java.nio.file.attribute.FileTime.from(
        java.time.Instant.now().minus(age));
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (name.startsWith(".") && name.endsWith(TEMP_SUFFIX)
            && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            && Files.getLastModifiedTime(p).compareTo(before) < 0) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /**
   * Forces a directory's entries to disk where the platform allows it. The directory's channel
   * stays open between calls (up to {@value #MAX_DIRECTORIES} directories in a JVM): it only
   * serves {@code fsync}, and saves an open and a close on every durable write. It is kept with
   * the directory's file key, checked against the path's at every call (one {@code stat}): a
   * directory deleted and made again from outside (by hand, or by another process opening the
   * store) gets a channel of its own, instead of the gone directory's being forced in its place.
   */
  static void forceDirectory(Path dir) {
    FORCES.incrementAndGet();
    Kept kept = DIRECTORIES.get(dir);
    try {
      Object key = key(dir);
      if (kept != null && !java.util.Objects.equals(kept.key(), key)) {
        if (DIRECTORIES.remove(dir, kept)) {
          close(kept.channel());
        }
        kept = null;
      }
      if (kept == null && DIRECTORIES.size() < MAX_DIRECTORIES) {
        FileChannel opened = FileChannel.open(dir, StandardOpenOption.READ);
        OPENED.incrementAndGet();
        if (!java.util.Objects.equals(key(dir), key)) { // replaced meanwhile: do not keep it
          opened.close();
        } else {
          Kept mine = new Kept(opened, key);
          kept = DIRECTORIES.putIfAbsent(dir, mine);
          if (kept == null) {
            kept = mine;
          } else {
            opened.close(); // another thread kept one first
          }
        }
      }
      if (kept != null) {
        kept.channel().force(true);
        return;
      }
    } catch (java.nio.channels.ClosedChannelException e) {
      DIRECTORIES.remove(dir, kept); // released meanwhile, or closed by an interrupt
    } catch (IOException | UnsupportedOperationException e) {
      return; // some platforms (Windows) cannot open or force a directory; the rename is atomic
    }
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // as above
    }
  }

  /** The directory's file key, or the path where the file system has none. */
  private static Object key(Path dir) throws IOException {
    Object key = Files.readAttributes(dir, BasicFileAttributes.class).fileKey();
    return key != null ? key : dir;
  }

  private static void close(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // only used for fsync; nothing is lost
    }
  }

  /** How many directory channels were opened to be kept (for tests). */
  /** How many directory syncs were asked for in this JVM (for tests). */
  static long directoryForces() {
    return FORCES.get();
  }

  static long directoriesOpened() {
    return OPENED.get();
  }

  /** Closes the kept channels of the directories under {@code root} (a store closing). */
  static void release(Path root) {
    DIRECTORIES.forEach((dir, kept) -> {
      if (dir.startsWith(root) && DIRECTORIES.remove(dir, kept)) {
        close(kept.channel());
      }
    });
  }

  private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }
}
