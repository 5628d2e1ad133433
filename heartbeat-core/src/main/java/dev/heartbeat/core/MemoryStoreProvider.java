package dev.heartbeat.core;

import dev.heartbeat.StoreNotFoundException;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.HeartbeatStoreProvider;
import java.net.URI;
import java.util.Set;

/**
 * Opens {@code memory:} stores. {@code memory:} alone is a fresh store; {@code memory:NAME} is
 * the store of that name in this JVM, shared by every {@code Heartbeats} that opens it (for
 * demos and tests of several candidates in one process).
 */
public final class MemoryStoreProvider implements HeartbeatStoreProvider {
  private static final java.util.concurrent.ConcurrentHashMap<String, MemoryStore> NAMED =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** For the service loader. */
  public MemoryStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("memory");
  }

  @Override
  public HeartbeatStore open(URI uri) {
    String name = uri.getSchemeSpecificPart();
    if (name == null || name.isEmpty() || name.equals("/")) {
      return new MemoryStore();
    }
    return NAMED.computeIfAbsent(name, n -> new MemoryStore());
  }

  /**
   * The named store of this JVM if one was opened before; {@code memory:} alone has nothing to
   * read.
   *
   * @throws StoreNotFoundException when no store of that name was opened in this JVM
   */
  @Override
  public HeartbeatStore openExisting(URI uri) {
    String name = uri.getSchemeSpecificPart();
    if (name == null || name.isEmpty() || name.equals("/")) {
      throw new StoreNotFoundException("memory:", "an unnamed memory store is always new");
    }
    MemoryStore store = NAMED.get(name);
    if (store == null) {
      throw new StoreNotFoundException("memory:" + name, "no memory store of that name in this JVM");
    }
    return store;
  }
}
