package dev.heartbeat.file;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Mutual exclusion per record across threads and processes: a {@link ReentrantLock} per lock
 * file, shared by every store of this JVM (OS file locks belong to the process, and a second
 * lock on the same file in one JVM would throw), then an exclusive OS lock on the lock file for
 * other processes. The OS drops the file lock when a process dies, so a killed holder never
 * blocks the others; a frozen one (SIGSTOP, a hung disk) does, so both locks are taken within the
 * caller's deadline: the JVM lock with a timed {@code tryLock}, the OS lock by polling
 * {@link FileChannel#tryLock()} with a growing pause (1 to {@value #MAX_PAUSE_MILLIS} ms). Past
 * the deadline the call fails with an {@link IOException} naming the lock file. Paths are keyed
 * as given; the store passes real paths ({@link Path#toRealPath}), so a directory opened through
 * a symlink and through its target shares one entry.
 *
 * <p>An entry lives in the table while a thread uses it (a count under the table's lock), and
 * afterwards only to keep its lock file's channel open, which saves three system calls per
 * operation on the renewal path. At most {@value #MAX_OPEN} idle channels are kept, least
 * recently used first out ({@link #evicted()} counts them); an entry in use is never evicted, and
 * a channel is only closed when no thread of this JVM is inside its entry: closing any descriptor
 * of a file drops every POSIX lock the process holds on it. After each lock the file is checked
 * to be still the one the channel has open: empty (the channel's own size, exact), and with the
 * key it had when the channel was opened (the path's key then and now, a check that a file
 * deleted or replaced from outside at the very moment of the open could still pass). That is
 * what makes removing a lock file safe ({@link #holding(Path, Duration, boolean, Body)}): only a
 * holder of its lock removes it, as the last step, and marks the unlinked file as it goes; a
 * process waiting on it finds, once it has the lock, that its file is marked, and locks the file
 * the path names now. Where the file system has no file keys lock files are kept. Processes of
 * an older version of this store do not look at the mark: {@code forget} is only safe once every
 * process that shares the directory runs this one.
 *
 * <p>Why not Caffeine (decided for issue 15's review of hand-kept maps): an entry's life is bound
 * to who is inside it, not to size or time. Caffeine evicts by size without knowing that an
 * entry's lock is held or awaited. Keeping entries in use out of eviction means re-weighing them
 * (weight zero while used) on every enter and every leave: two writes through
 * {@code asMap().compute} per operation, each under a {@code ConcurrentHashMap} bin's
 * {@code synchronized} lock, where a virtual thread pins its carrier on Java 21. The channel of
 * an evicted entry must be closed inside the eviction ({@code evictionListener}, under that same
 * lock), never after it ({@code removalListener}): closing any descriptor of a file drops every
 * POSIX lock the process holds on it, and after the entry left the map another thread may
 * already have opened a second channel on the file and locked it. Caffeine's async cache loads
 * without holding a lock, but the load (opening a channel) is not what needs guarding here; the
 * per-use count is. What is left is this small map: a {@link LinkedHashMap} in access order,
 * behind one {@link ReentrantLock} held only for map updates and the close of an evicted
 * channel, never while waiting for a lock; its bound and its evictions are tested
 * ({@code FileLockingTest}, {@code FileChurnTest}).
 */
final class FileLocks {
  static final int MAX_OPEN = 256;
  private static final long MAX_PAUSE_MILLIS = 20;
  private static final byte[] REMOVED = {'x'};
  private static final ReentrantLock TABLE = new ReentrantLock();
  /** Guarded by {@link #TABLE}; in access order, eldest first. */
  private static final LinkedHashMap<Path, Entry> ENTRIES = new LinkedHashMap<>(64, 0.75f, true);
  /** Entries nobody is inside that keep a channel; guarded by {@link #TABLE}. */
  private static int idle;
  private static final AtomicInteger OPEN = new AtomicInteger();
  private static final AtomicLong EVICTED = new AtomicLong();

  /** A body that does I/O under the lock. */
  interface Body<T> {
    T run() throws IOException;
  }

  /** One lock file: its JVM lock, its users, and while kept, its open channel and file key. */
  private static final class Entry {
    final ReentrantLock lock = new ReentrantLock();
    /** Threads inside or waiting; guarded by {@link #TABLE}. */
    int users;
    /** Close once idle: its store was closed while a thread was inside; guarded by TABLE. */
    boolean discard;
    /** Guarded by {@link #lock}, or by {@link #TABLE} while {@link #users} is zero. */
    FileChannel channel;
    Object fileKey;
  }

  private FileLocks() {}

  /** {@link #holding(Path, Duration, boolean, Body)} that keeps the lock file. */
  static <T> T holding(Path lockFile, Duration timeout, Body<T> body) throws IOException {
    return holding(lockFile, timeout, false, body);
  }

  /**
   * Runs {@code body} holding {@code lockFile}'s JVM and OS locks, both taken within
   * {@code timeout}. With {@code remove}, the lock file is deleted after {@code body} returns,
   * still under both locks, where the file system has file keys (see the class comment).
   *
   * @throws IOException when a lock is not had within {@code timeout} (naming the file), the
   *     thread is interrupted meanwhile, or the lock file cannot be opened; or what body throws
   */
  static <T> T holding(Path lockFile, Duration timeout, boolean remove, Body<T> body)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Path key = lockFile.toAbsolutePath().normalize();
    Entry entry = enter(key);
    try {
      lockInJvm(entry, lockFile, timeout, deadline);
      try {
        FileLock os = lock(entry, lockFile, timeout, deadline);
        boolean unlinked = false;
        try {
          T result = body.run();
          unlinked = remove && unlink(entry, lockFile);
          return result;
        } finally {
          release(os);
          if (unlinked) {
            close(entry);
          }
        }
      } finally {
        entry.lock.unlock();
      }
    } finally {
      leave(key, entry);
    }
  }

  /**
   * Closes the kept channels of the lock files under {@code dir} (a store closing); one a thread
   * is inside is closed when it leaves.
   */
  static void release(Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    List<Entry> closing = new ArrayList<>();
    TABLE.lock();
    try {
      for (Iterator<java.util.Map.Entry<Path, Entry>> it = ENTRIES.entrySet().iterator();
          it.hasNext(); ) {
        java.util.Map.Entry<Path, Entry> e = it.next();
        if (e.getKey().startsWith(root)) {
          if (e.getValue().users == 0) {
            closing.add(e.getValue());
            idle--;
            it.remove();
          } else {
            e.getValue().discard = true;
          }
        }
      }
      closing.forEach(FileLocks::close); // under TABLE: no second entry of these files meanwhile
    } finally {
      TABLE.unlock();
    }
  }

  /** How many lock channels this JVM keeps open (for tests). */
  static int open() {
    return OPEN.get();
  }

  /** How many idle channels were closed to keep within {@value #MAX_OPEN} (for tests). */
  static long evicted() {
    return EVICTED.get();
  }

  /** How many lock files the table knows (for tests): in use, or idle with a kept channel. */
  static int entries() {
    TABLE.lock();
    try {
      return ENTRIES.size();
    } finally {
      TABLE.unlock();
    }
  }

  private static Entry enter(Path key) {
    TABLE.lock();
    try {
      Entry entry = ENTRIES.computeIfAbsent(key, k -> new Entry());
      if (entry.users++ == 0 && entry.channel != null) {
        idle--;
      }
      return entry;
    } finally {
      TABLE.unlock();
    }
  }

  /** The last one out keeps the entry only for its channel; then evicts past the bound. */
  private static void leave(Path key, Entry entry) {
    TABLE.lock();
    try {
      entry.users--;
      if (entry.users > 0) {
        return;
      }
      if (entry.channel == null || entry.discard) {
        ENTRIES.remove(key, entry);
        close(entry);
        return;
      }
      idle++;
      for (Iterator<Entry> it = ENTRIES.values().iterator(); idle > MAX_OPEN && it.hasNext(); ) {
        Entry eldest = it.next();
        if (eldest.users == 0) {
          it.remove();
          close(eldest); // no thread is inside it, and none can enter it: it left the table
          EVICTED.incrementAndGet();
          idle--;
        }
      }
    } finally {
      TABLE.unlock();
    }
  }

  private static void lockInJvm(Entry entry, Path lockFile, Duration timeout, long deadline)
      throws IOException {
    try {
      if (!entry.lock.tryLock(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        throw new IOException("lock file " + lockFile + " not had within lockTimeout " + timeout
            + ": another thread of this process holds it");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(lockFile);
    }
  }

  /**
   * Locks the entry's file, opening it when needed, until the lock is on the file the path names:
   * an empty file (a removed one was marked, see {@link #unlink}) whose key the path still has.
   */
  private static FileLock lock(Entry entry, Path lockFile, Duration timeout, long deadline)
      throws IOException {
    for (;;) {
      if (entry.channel == null || !entry.channel.isOpen()) {
        close(entry);
        entry.channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        OPEN.incrementAndGet();
        entry.fileKey = key(lockFile);
      }
      FileLock os = poll(entry.channel, lockFile, timeout, deadline);
      if (entry.channel.size() == 0) { // the size of the file this channel has open: exact
        Object now = key(lockFile);
        if (now != null && Objects.equals(now, entry.fileKey)) {
          return os;
        }
      }
      release(os); // removed, deleted or replaced since it was opened: this lock excludes no one
      close(entry);
      if (deadline - System.nanoTime() <= 0) {
        throw new IOException("lock file " + lockFile + " not had within lockTimeout " + timeout
            + ": it kept being removed or replaced (a lock file must stay empty)");
      }
    }
  }

  private static FileLock poll(FileChannel channel, Path lockFile, Duration timeout,
      long deadline) throws IOException {
    long pause = 1;
    for (;;) {
      FileLock os = channel.tryLock();
      if (os != null) {
        return os;
      }
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        throw new IOException("lock file " + lockFile + " not had within lockTimeout " + timeout
            + ": another process holds it (frozen or hung?)");
      }
      try {
        Thread.sleep(Math.min(pause, left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw interrupted(lockFile);
      }
      pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
    }
  }

  /**
   * Removes the locked file, where the file system has file keys: unlinks it, then writes one
   * byte into it through the channel, still under the lock. A process that opened the file
   * before and waits for its lock sees, once it has it, that the file it has open is not empty,
   * and opens the path again. A crash between the two steps leaves only the path's key check of
   * the waiters, as for a file deleted from outside. Whether it removed the file.
   */
  private static boolean unlink(Entry entry, Path lockFile) throws IOException {
    if (entry.fileKey == null || entry.fileKey.equals(lockFile)) {
      return false; // no file keys here: a waiter could not tell the file was replaced
    }
    Files.deleteIfExists(lockFile);
    ByteBuffer mark = ByteBuffer.wrap(REMOVED);
    while (mark.hasRemaining()) {
      entry.channel.write(mark, mark.position());
    }
    return true;
  }

  private static void release(FileLock os) throws IOException {
    try {
      os.release();
    } catch (ClosedChannelException e) {
      // the channel was closed (an interrupt): the OS lock went with it
    }
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

  private static InterruptedIOException interrupted(Path lockFile) {
    return new InterruptedIOException("interrupted while waiting for lock file " + lockFile);
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
