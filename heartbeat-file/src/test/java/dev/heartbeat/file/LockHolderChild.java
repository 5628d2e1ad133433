package dev.heartbeat.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A process that holds one lock file, for {@link FileLockTimeoutTest}: locks the file named by
 * the first argument, prints {@code LOCKED}, and holds it until its standard input closes (the
 * test freezes it meanwhile with SIGSTOP, and kills it at the end).
 */
public final class LockHolderChild {
  private LockHolderChild() {}

  public static void main(String[] args) throws IOException {
    try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
      System.out.println("LOCKED " + lock.isValid());
      System.out.flush();
      while (System.in.read() >= 0) {
        // the test never writes; end of input means it is gone
      }
    }
  }
}
