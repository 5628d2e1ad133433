package dev.heartbeat.file;

/** A file (or one line of it) that is not a record this store can read; reported and skipped. */
final class BadRecord extends Exception {
  private static final long serialVersionUID = 1L;

  BadRecord(String message) {
    super(message);
  }

  BadRecord(String message, Throwable cause) {
    super(message, cause);
  }
}
