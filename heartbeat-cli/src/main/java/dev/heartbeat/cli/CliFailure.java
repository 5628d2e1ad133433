package dev.heartbeat.cli;

/**
 * A command failed in an expected way: the message is printed as it is (after redaction), with
 * no stack trace, and the process exits with {@link #exitCode()}.
 */
final class CliFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  CliFailure(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  CliFailure(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
