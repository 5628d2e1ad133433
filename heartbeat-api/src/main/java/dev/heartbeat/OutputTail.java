package dev.heartbeat;

/**
 * The last characters of a child process's output, at most a fixed number: what a long output
 * ends with, in bounded memory. Written by one reader thread; read once it has finished.
 */
final class OutputTail {
  private final int limit;
  private final StringBuilder kept = new StringBuilder();
  private long dropped;

  OutputTail(int limit) {
    this.limit = limit;
  }

  void append(CharSequence text) {
    kept.append(text);
    if (kept.length() > 2 * limit) {
      trim();
    }
  }

  /** What was kept, at most the limit, marked when the output was longer. */
  String text() {
    trim();
    return dropped == 0 ? kept.toString() : "[" + dropped + " earlier characters dropped]\n"
        + kept;
  }

  /** What was kept, without the mark. */
  String raw() {
    trim();
    return kept.toString();
  }

  private void trim() {
    int over = kept.length() - limit;
    if (over > 0) {
      kept.delete(0, over);
      dropped += over;
    }
  }
}
