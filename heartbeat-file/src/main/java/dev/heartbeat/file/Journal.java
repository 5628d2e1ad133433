package dev.heartbeat.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A directory of bounded JSON-lines journals, one per agent: {@code NAME.GEN.jsonl}. A journal
 * is only ever read up to a committed {@link Tip} that the agent's state file records, so bytes
 * appended by a write that crashed before its commit are invisible, and the next append cuts them
 * off. When a journal grows to twice the limit, or holds damage, it is rewritten whole under the
 * next generation's name; the old generation is deleted only after the state file points at the
 * new one. Callers serialise writes per agent.
 */
final class Journal {
  private static final String SUFFIX = ".jsonl";

  /** Where the committed part of a journal ends. */
  record Tip(long gen, long bytes, long lines) {
    static final Tip EMPTY = new Tip(0, 0, 0);
  }

  private final Path dir;
  private final int limit;

  Journal(Path dir, int limit) {
    this.dir = dir;
    this.limit = limit;
  }

  Path file(String name, Tip tip) {
    return dir.resolve(name + "." + tip.gen() + SUFFIX);
  }

  /**
   * Appends one line after the committed part; returns the tip to commit. Rewrites the journal
   * under a new generation instead, keeping the newest {@code good} lines, when it is full,
   * damaged, or {@code rewrite} is asked.
   */
  Tip append(String name, Tip tip, byte[] line, boolean rewrite, Predicate<byte[]> good)
      throws IOException {
    Path file = file(name, tip);
    if (rewrite || tip.lines() + 1 > 2L * limit || !intact(file, tip)) {
      List<byte[]> kept = new ArrayList<>();
      for (byte[] old : read(name, tip).lines()) {
        if (good.test(old)) {
          kept.add(old);
        }
      }
      kept.add(line);
      return write(name, tip.gen() + 1, kept.subList(Math.max(0, kept.size() - limit),
          kept.size()));
    }
    Durable.appendAt(file, tip.bytes(), line);
    return new Tip(tip.gen(), tip.bytes() + line.length, tip.lines() + 1);
  }

  /** Writes {@code lines} (oldest first) as generation {@code gen}. */
  Tip write(String name, long gen, List<byte[]> lines) throws IOException {
    int size = 0;
    for (byte[] l : lines) {
      size += l.length;
    }
    ByteBuffer all = ByteBuffer.allocate(size);
    lines.forEach(all::put);
    Tip tip = new Tip(gen, size, lines.size());
    Durable.replace(file(name, tip), all.array());
    return tip;
  }

  /** Deletes an old generation once a newer one is committed. */
  void discard(String name, Tip old, Tip current) throws IOException {
    if (old.gen() != current.gen()) {
      Files.deleteIfExists(file(name, old));
    }
  }

  /** What was read: the lines (oldest first, newline included) and whether the file was short. */
  record Read(List<byte[]> lines, boolean missing, boolean truncated) {}

  /** The committed lines of a journal; a missing file reads as none. */
  Read read(String name, Tip tip) throws IOException {
    if (tip.bytes() == 0) {
      return new Read(List.of(), false, false);
    }
    byte[] content;
    try (FileChannel in = FileChannel.open(file(name, tip), StandardOpenOption.READ)) {
      long size = Math.min(in.size(), tip.bytes());
      ByteBuffer buffer = ByteBuffer.allocate((int) size);
      int n = 0;
      while (buffer.hasRemaining() && n >= 0) {
        n = in.read(buffer, buffer.position());
      }
      content = buffer.array();
      return new Read(split(content), false, in.size() < tip.bytes());
    } catch (NoSuchFileException e) {
      return new Read(List.of(), true, false);
    } catch (IOException e) {
      if (Files.isRegularFile(file(name, tip))) {
        throw e;
      }
      return new Read(List.of(), true, false); // a directory where the journal should be
    }
  }

  /** The newest generation found on disk, up to its last complete line: for lost state files. */
  Tip recover(String name) throws IOException {
    long gen = -1;
    for (long g : generations(name).keySet()) {
      gen = Math.max(gen, g);
    }
    if (gen < 0) {
      return Tip.EMPTY;
    }
    byte[] content;
    try {
      content = Durable.readOrNull(file(name, new Tip(gen, 0, 0)));
    } catch (BadRecord e) {
      content = null; // replaced by a non-file since it was listed: start a new generation
    }
    if (content == null) {
      return new Tip(gen + 1, 0, 0);
    }
    int end = content.length;
    while (end > 0 && content[end - 1] != '\n') {
      end--;
    }
    long lines = 0;
    for (int i = 0; i < end; i++) {
      lines += content[i] == '\n' ? 1 : 0;
    }
    return new Tip(gen, end, lines);
  }

  /**
   * Deletes every generation of {@code name}'s journal (an agent forgotten, or a new start);
   * returns the files deleted.
   */
  List<Path> deleteAll(String name) throws IOException {
    List<Path> deleted = new ArrayList<>();
    for (Path file : generations(name).values()) {
      if (Durable.delete(file)) {
        deleted.add(file);
      }
    }
    return deleted;
  }

  /** The journal files of {@code name} on disk (regular files only), by generation. */
  private java.util.SortedMap<Long, Path> generations(String name) throws IOException {
    java.util.SortedMap<Long, Path> out = new java.util.TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String f = p.getFileName().toString();
        if (f.startsWith(name + ".") && f.endsWith(SUFFIX)) {
          String middle = f.substring(name.length() + 1, f.length() - SUFFIX.length());
          if (middle.chars().allMatch(Character::isDigit) && !middle.isEmpty()
              && middle.length() < 18 && Files.isRegularFile(p)) {
            out.put(Long.parseLong(middle), p);
          }
        }
      }
    }
    return out;
  }

  private static boolean intact(Path file, Tip tip) throws IOException {
    if (tip.bytes() == 0) {
      return true;
    }
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      if (in.size() < tip.bytes()) {
        return false;
      }
      ByteBuffer last = ByteBuffer.allocate(1);
      return in.read(last, tip.bytes() - 1) == 1 && last.get(0) == '\n';
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      if (Files.isRegularFile(file)) {
        throw e;
      }
      return false; // not a file: the next generation replaces it
    }
  }

  private static List<byte[]> split(byte[] content) {
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < content.length; i++) {
      if (content[i] == '\n') {
        out.add(java.util.Arrays.copyOfRange(content, start, i + 1));
        start = i + 1;
      }
    }
    if (start < content.length) {
      out.add(java.util.Arrays.copyOfRange(content, start, content.length));
    }
    return out;
  }
}
