package dev.heartbeat;

/**
 * A store could not do what was asked: unreachable, timed out, I/O error. Carries which store
 * and which operation.
 */
public class HeartbeatStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** The store, as it describes itself. */
  private final String store;
  /** The operation that failed. */
  private final String operation;

  /**
   * A failure of {@code operation} on {@code store} caused by {@code cause}.
   *
   * @param store the store, as {@link dev.heartbeat.spi.HeartbeatStore#describe()} says it
   * @param operation the operation that failed
   * @param cause the failure
   */
  public HeartbeatStoreException(String store, String operation, Throwable cause) {
    super(store + ": " + operation + " failed: " + describe(cause), cause);
    this.store = store;
    this.operation = operation;
  }

  /**
   * A failure of {@code operation} on {@code store}, described by {@code message}.
   *
   * @param store the store, as {@link dev.heartbeat.spi.HeartbeatStore#describe()} says it
   * @param operation the operation that failed
   * @param message what went wrong
   */
  public HeartbeatStoreException(String store, String operation, String message) {
    super(store + ": " + operation + " failed: " + message);
    this.store = store;
    this.operation = operation;
  }

  /**
   * The store, as {@link dev.heartbeat.spi.HeartbeatStore#describe()} says it.
   *
   * @return the store, as {@link dev.heartbeat.spi.HeartbeatStore#describe()} says it
   */
  public String store() {
    return store;
  }

  /**
   * The operation that failed, such as {@code renew(leader)}.
   *
   * @return the operation that failed, such as {@code renew(leader)}
   */
  public String operation() {
    return operation;
  }

  private static String describe(Throwable cause) {
    if (cause == null) {
      return "unknown cause";
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
