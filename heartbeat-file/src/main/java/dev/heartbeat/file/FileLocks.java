package dev.heartbeat.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Mutual exclusion per record across threads and processes: a {@link ReentrantLock} per lock
 * file, shared by every store of this JVM (OS file locks belong to the process, and a second
 * lock on the same file in one JVM would throw), then an exclusive {@link FileChannel#lock()} on
 * the lock file for other processes. The OS drops the file lock when a process dies, so a killed
 * holder never blocks the others.
 */
final class FileLocks {
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

  /** A body that does I/O under the lock. */
  interface Body<T> {
    T run() throws IOException;
  }

  private FileLocks() {}

  static <T> T holding(Path lockFile, Body<T> body) throws IOException {
    ReentrantLock local = IN_JVM.computeIfAbsent(lockFile.toAbsolutePath().normalize(),
        p -> new ReentrantLock());
    local.lock();
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      FileLock os = channel.lock();
      try {
        return body.run();
      } finally {
        os.release();
      }
    } finally {
      local.unlock();
    }
  }
}
