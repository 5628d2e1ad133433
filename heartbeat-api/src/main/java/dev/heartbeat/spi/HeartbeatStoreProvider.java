package dev.heartbeat.spi;

import java.net.URI;

/**
 * Opens a store from a URI, found through {@link java.util.ServiceLoader} by
 * {@link dev.heartbeat.Heartbeats#open(String)}. Stores can always be built directly as well.
 */
public interface HeartbeatStoreProvider {

  /**
   * The URI schemes this provider opens, such as {@code file} or {@code redis}.
   *
   * @return the URI schemes this provider opens, such as {@code file} or {@code redis}
   */
  java.util.Set<String> schemes();

  /**
   * Opens a store.
   *
   * @param uri the URI
   * @return the open store, which the caller closes
   * @throws IllegalArgumentException when the URI is malformed for this store, naming it
   * @throws dev.heartbeat.HeartbeatStoreException when the store cannot be reached or created
   */
  HeartbeatStore open(URI uri);

  /**
   * Opens a store that must already exist, for tools that only read ({@code heartbeat status}):
   * creates nothing (no directory, table, key or epoch marker) and writes nothing on open.
   *
   * @param uri the URI
   * @return the open store, which the caller closes
   * @throws IllegalArgumentException when the URI is malformed for this store, naming it
   * @throws dev.heartbeat.StoreNotFoundException when there is no store at the URI (no directory,
   *     no tables, no key of the prefix)
   * @throws dev.heartbeat.HeartbeatStoreException when the store cannot be reached
   */
  HeartbeatStore openExisting(URI uri);
}
