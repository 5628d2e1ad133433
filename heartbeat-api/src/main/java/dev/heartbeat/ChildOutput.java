package dev.heartbeat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Reads one output stream of a child process on a virtual thread of its own, line by line in
 * bounded memory: a line that starts with {@link ProcessTaskHandler#PROTOCOL_PREFIX} goes to the
 * protocol consumer, everything else to the tail. A line longer than the longest protocol line is
 * not a protocol line; it goes to the tail as it comes.
 */
final class ChildOutput {
  /** The longest line read whole: the prefix, a word and a checkpoint. */
  static final int MAX_LINE = ProcessTaskHandler.PROTOCOL_PREFIX.length() + 16
      + TaskSpec.MAX_PAYLOAD_LENGTH;

  private final OutputTail tail;
  private final Consumer<String> protocol;
  private final Thread thread;
  private final StringBuilder line = new StringBuilder();
  private boolean overflowed;

  private ChildOutput(InputStream in, int tailLimit, Consumer<String> protocol, String name) {
    this.tail = new OutputTail(tailLimit);
    this.protocol = protocol;
    this.thread = Thread.ofVirtual().name(name).unstarted(() -> read(in));
  }

  /** Starts reading {@code in}; {@code protocol} may be null (no protocol on this stream). */
  static ChildOutput start(InputStream in, int tailLimit, Consumer<String> protocol, String name) {
    ChildOutput out = new ChildOutput(in, tailLimit, protocol, name);
    out.thread.start();
    return out;
  }

  /**
   * Waits until the stream ended, at most {@code timeout} (a grandchild that inherited the
   * stream may hold it open after the child exited).
   */
  void await(Duration timeout) throws InterruptedException {
    thread.join(timeout);
  }

  OutputTail tail() {
    return tail;
  }

  private void read(InputStream in) {
    char[] buffer = new char[8192];
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      for (int n; (n = reader.read(buffer)) >= 0; ) {
        for (int i = 0; i < n; i++) {
          accept(buffer[i]);
        }
      }
    } catch (IOException e) {
      // the stream was closed under us (the process was killed): what was read stays
    }
    if (!line.isEmpty()) {
      endLine(false);
    }
  }

  private void accept(char c) {
    if (c == '\n') {
      endLine(true);
      return;
    }
    line.append(c);
    if (line.length() > MAX_LINE) {
      overflowed = true;
      tail.append(line);
      line.setLength(0);
    }
  }

  private void endLine(boolean newline) {
    if (!overflowed && protocol != null
        && line.indexOf(ProcessTaskHandler.PROTOCOL_PREFIX) == 0) {
      protocol.accept(line.substring(ProcessTaskHandler.PROTOCOL_PREFIX.length()));
    } else {
      tail.append(line);
      if (newline) {
        tail.append("\n");
      }
    }
    line.setLength(0);
    overflowed = false;
  }
}
