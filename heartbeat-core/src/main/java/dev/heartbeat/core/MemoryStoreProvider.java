package dev.heartbeat.core;

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
}
