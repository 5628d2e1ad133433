package dev.heartbeat.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Mutual exclusion per record across threads and processes: a {@link ReentrantLock} per lock
 * file, shared by every store of this JVM (OS file locks belong to the process, and a second
 * lock on the same file in one JVM would throw), then an exclusive {@link FileChannel#lock()} on
 * the lock file for other processes. The OS drops the file lock when a process dies, so a killed
 * holder never blocks the others.
 *
 * <p>The lock file's channel stays open between calls (up to {@value #MAX_OPEN} of them in a JVM;
 * past that, one is opened and closed per call), which saves three system calls per operation on
 * the renewal path. One channel per file per JVM, only ever closed under its lock: closing any
 * descriptor of a file drops every POSIX lock the process holds on it. After each lock the file
 * is checked to be still the one the channel has open, so a lock file deleted or replaced from
 * outside is opened again rather than locked in vain.
 */
final class FileLocks {
  static final int MAX_OPEN = 256;
  private static final ConcurrentHashMap<Path, Entry> IN_JVM = new ConcurrentHashMap<>();
  private static final AtomicInteger OPEN = new AtomicInteger();

  /** A body that does I/O under the lock. */
  interface Body<T> {
    T run() throws IOException;
  }

  /** One lock file: its JVM lock, and while kept, its open channel and the file it opened. */
  private static final class Entry {
    final ReentrantLock lock = new ReentrantLock();
    FileChannel channel;
    Object fileKey;
  }

  private FileLocks() {}

  static <T> T holding(Path lockFile, Body<T> body) throws IOException {
    Entry entry = IN_JVM.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new Entry());
    entry.lock.lock();
    try {
      FileLock os = lock(entry, lockFile);
      try {
        return body.run();
      } finally {
        os.release();
        if (!kept(entry)) {
          close(entry);
        }
      }
    } finally {
      entry.lock.unlock();
    }
  }

  /** Closes the kept channels of the lock files under {@code dir} (a store closing). */
  static void release(Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    IN_JVM.forEach((path, entry) -> {
      if (path.startsWith(root)) {
        entry.lock.lock();
        try {
          close(entry);
        } finally {
          entry.lock.unlock();
        }
      }
    });
  }

  /** How many lock channels this JVM keeps open (for tests). */
  static int open() {
    return OPEN.get();
  }

  /** Locks the entry's file, opening it when needed, until the lock is on the file the path names. */
  private static FileLock lock(Entry entry, Path lockFile) throws IOException {
    for (int attempt = 1; ; attempt++) {
      if (entry.channel == null || !entry.channel.isOpen()) {
        close(entry);
        entry.channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        OPEN.incrementAndGet();
        entry.fileKey = key(lockFile);
      }
      FileLock os = entry.channel.lock();
      Object now = key(lockFile);
      if (now != null && Objects.equals(now, entry.fileKey)) {
        return os;
      }
      os.release(); // deleted or replaced since it was opened: this lock excludes no one
      close(entry);
      if (attempt == 10) {
        throw new IOException("lock file " + lockFile + " keeps being deleted or replaced");
      }
    }
  }

  private static boolean kept(Entry entry) {
    return entry.channel != null && OPEN.get() <= MAX_OPEN;
  }

  private static void close(Entry entry) {
    if (entry.channel == null) {
      return;
    }
    try {
      entry.channel.close();
    } catch (IOException e) {
      // nothing was written through it; the descriptor is gone either way
    }
    entry.channel = null;
    entry.fileKey = null;
    OPEN.decrementAndGet();
  }

  private static Object key(Path file) throws IOException {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      Object key = attributes.fileKey();
      return key != null ? key : file; // no file keys here: trust the path
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
