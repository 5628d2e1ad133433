package dev.heartbeat.examples.faults;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file store's black hole in {@link TaskFaultsTest}: a process that takes the OS lock of a
 * queue's lock file ({@code args[0]}, the file the store's processes lock for every call on that
 * queue), prints {@code LOCKED} and holds it until killed, or until its standard input closes.
 * The test SIGSTOPs it once it holds the lock, so that it stands for a process frozen inside a
 * queue call: every other process's claim, renewal and end on the queue waits for the lock and
 * fails at its lock timeout, as calls through a black-holed network would, until the test kills
 * it and the OS drops the lock.
 */
public final class QueueLockChild {
  private QueueLockChild() {}

  /**
   * Holds the lock.
   *
   * @param args the lock file
   * @throws IOException when the file cannot be opened or locked
   */
  public static void main(String[] args) throws IOException {
    try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      System.out.println("LOCKED " + lock.isValid());
      System.out.flush();
      while (System.in.read() >= 0) {
        // the parent writes nothing; hold the lock until the end of input or a kill
      }
    }
  }
}
