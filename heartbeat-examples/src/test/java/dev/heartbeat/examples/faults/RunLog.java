package dev.heartbeat.examples.faults;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The append-only log of one worker process ({@link TaskWorkerChild}): one line per event, each
 * written with its own unbuffered {@code write} call, so that a line written before a SIGKILL is
 * in the file (the kernel has it) and a line is never half of two. Fields are separated by one
 * space; the first is the kind ({@link Runs} reads them):
 * <ul>
 *   <li>{@code RUNNING worker incarnation wall}; {@code STATS fencedOut selfFenced wall}: the
 *       worker's counts of attempts fenced out by the store and fenced by itself</li>
 *   <li>{@code START task attempt token worker wall}: the handler began</li>
 *   <li>{@code RETURN task attempt token worker wall how stop}: the handler came back
 *       ({@code how} is {@code done}, {@code failed} or {@code interrupted}; {@code stop} the
 *       attempt's stop reason then, or {@code -})</li>
 *   <li>{@code CLAIMED task token sent}, {@code RENEWED task token sent},
 *       {@code RENEW_LOST task token sent}, {@code RENEW_FAILED sent}: the worker's claim calls,
 *       with the wall time each was sent</li>
 *   <li>{@code PROGRESS task token accepted|refused|error sent} and
 *       {@code END task token outcome accepted|refused|error sent answered}: its writes</li>
 * </ul>
 * Wall times are microseconds since the epoch. The log grows with the run; a child lives at most
 * {@link TaskWorkerChild#MAX_LIFE}, which bounds it.
 */
final class RunLog implements AutoCloseable {
  private final ReentrantLock lock = new ReentrantLock();
  private final FileOutputStream out;

  private RunLog(FileOutputStream out) {
    this.out = out;
  }

  static RunLog open(Path file) throws IOException {
    return new RunLog(new FileOutputStream(file.toFile(), true));
  }

  /** Now on the wall clock, in microseconds since the epoch. */
  static long wall() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }

  /** Appends one line of {@code fields} joined by spaces. */
  void write(Object... fields) {
    StringBuilder line = new StringBuilder();
    for (Object f : fields) {
      if (!line.isEmpty()) {
        line.append(' ');
      }
      line.append(f);
    }
    byte[] bytes = line.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    lock.lock();
    try {
      out.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("could not append to the run log", e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
