package dev.heartbeat.examples.faults;

import dev.heartbeat.spi.HeartbeatStore;
import java.nio.file.Path;

/**
 * One store kind under {@link TaskFaultsTest}: a fresh store (directory, key prefix), the URI
 * its worker processes open, the test's own direct view of it, and a way to black it out for the
 * worker processes and bring it back. Adding a store kind to the tests is one {@link Factory} in
 * {@link TaskFaultsTest#stores()}.
 */
interface StoreRig extends AutoCloseable {
  /** Opens a fresh rig; {@code dir} is the test's own fresh directory (for files and logs). */
  @FunctionalInterface
  interface Factory {
    StoreRig open(Path dir) throws Exception;
  }

  /** The test's own view of the store, never blacked out. */
  HeartbeatStore store();

  /** What a worker process opens: the store, through whatever {@link #blackOut} cuts. */
  String childUri();

  /**
   * Until {@link #restore}, every call of a worker process on the test's queue {@code queue}
   * hangs until it fails at its own timeout.
   */
  void blackOut(String queue) throws Exception;

  /** Ends the black-out. */
  void restore() throws Exception;

  @Override
  void close() throws Exception;
}
