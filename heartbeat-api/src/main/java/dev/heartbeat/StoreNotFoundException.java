package dev.heartbeat;

/**
 * A store opened for reading only ({@link Heartbeats#openExistingStore(String)}) is not there: no
 * directory, no tables, no key of the prefix. Nothing was created.
 */
public class StoreNotFoundException extends HeartbeatStoreException {
  private static final long serialVersionUID = 1L;

  /**
   * A missing store.
   *
   * @param store the store as {@link dev.heartbeat.spi.HeartbeatStore#describe()} would say it
   * @param what what is missing, such as {@code no directory /var/hb}
   */
  public StoreNotFoundException(String store, String what) {
    super(store, "open", "no store there (" + what + "); nothing was created");
  }
}
