package dev.heartbeat.spi;

import java.net.URI;

/**
 * Opens a store from a URI, found through {@link java.util.ServiceLoader} by
 * {@link dev.heartbeat.Heartbeats#open(String)}. Stores can always be built directly as well.
 */
public interface HeartbeatStoreProvider {

  /** The URI schemes this provider opens, such as {@code file} or {@code redis}. */
  java.util.Set<String> schemes();

  /**
   * Opens a store.
   *
   * @throws IllegalArgumentException when the URI is malformed for this store, naming it
   * @throws dev.heartbeat.HeartbeatStoreException when the store cannot be reached or created
   */
  HeartbeatStore open(URI uri);
}
