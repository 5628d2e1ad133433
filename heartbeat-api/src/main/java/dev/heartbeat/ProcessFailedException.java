package dev.heartbeat;

/**
 * A child process of a {@link ProcessTaskHandler} exited with a code that fails the attempt. The
 * attempt records this exception's class and message: the command, the exit code and the tail of
 * the child's standard error.
 */
public final class ProcessFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * The most characters of standard error the message quotes: with the rest of the message, it
   * fits the 1024 characters an attempt records.
   */
  static final int MESSAGE_TAIL = 640;
  /** The most characters of the program's name the message quotes. */
  static final int MESSAGE_PROGRAM = 200;

  /** The exit code. */
  private final int exitCode;
  /** The tail of standard output. */
  private final String stdoutTail;
  /** The tail of standard error. */
  private final String stderrTail;

  /**
   * A failure of {@code command} with {@code exitCode}.
   *
   * @param command the command's program, for the message
   * @param exitCode the exit code
   * @param stdoutTail the end of what the child wrote to standard output
   * @param stderrTail the end of what the child wrote to standard error
   */
  public ProcessFailedException(String command, int exitCode, String stdoutTail,
      String stderrTail) {
    super(last(command, MESSAGE_PROGRAM) + " exited with code " + exitCode + (stderrTail.isBlank() ? ""
        : "; standard error ends with:\n" + last(stderrTail, MESSAGE_TAIL)));
    this.exitCode = exitCode;
    this.stdoutTail = stdoutTail;
    this.stderrTail = stderrTail;
  }

  /**
   * The child's exit code.
   *
   * @return the exit code
   */
  public int exitCode() {
    return exitCode;
  }

  /**
   * The end of what the child wrote to standard output (protocol lines left out).
   *
   * @return at most the handler's tail limit of characters
   */
  public String stdoutTail() {
    return stdoutTail;
  }

  /**
   * The end of what the child wrote to standard error.
   *
   * @return at most the handler's tail limit of characters
   */
  public String stderrTail() {
    return stderrTail;
  }

  static String last(String text, int max) {
    return text.length() <= max ? text : text.substring(text.length() - max);
  }
}
