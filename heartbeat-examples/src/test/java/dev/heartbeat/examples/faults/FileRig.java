package dev.heartbeat.examples.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.file.FileStore;
import dev.heartbeat.spi.HeartbeatStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file store in {@code dir/store}. There is no network to cut: the black-out is a process
 * ({@link QueueLockChild}) that takes the queue's OS lock and is then frozen with SIGSTOP, so
 * that every queue call of the workers waits for the lock and fails at the store's lock timeout
 * (5 s by default, longer than the claim TTL); {@link #restore} kills it, and the OS drops its
 * lock. Beats use other lock files and go on: only task calls hang.
 */
final class FileRig implements StoreRig {
  private final Path dir;
  private final FileStore store;
  private final Procs procs;
  private Process holder;

  private FileRig(Path dir, Procs procs) {
    this.dir = dir;
    this.store = FileStore.builder(dir).build();
    this.procs = procs;
  }

  static StoreRig open(Path dir) throws Exception {
    return new FileRig(Files.createDirectories(dir.resolve("store")).toAbsolutePath(),
        new Procs(dir));
  }

  @Override
  public HeartbeatStore store() {
    return store;
  }

  @Override
  public String childUri() {
    return dir.toUri().toString();
  }

  @Override
  public void blackOut(String queue) throws Exception {
    // the layout of FileStore: locks/queue-NAME.lock, NAME as written for [a-z0-9-] names
    assertThat(queue).matches("[a-z0-9-]+");
    Path lock = dir.resolve("locks").resolve("queue-" + queue + ".lock");
    assertThat(lock).as("the queue's lock file, created by its first claim").exists();
    holder = procs.start("lock-holder", QueueLockChild.class, lock.toString());
    procs.awaitOutput(holder, "LOCKED true");
    procs.signal(holder, "-STOP");
  }

  @Override
  public void restore() throws Exception {
    procs.kill(holder);
    holder = null;
  }

  @Override
  public void close() {
    try {
      procs.close();
    } finally {
      store.close();
    }
  }
}
