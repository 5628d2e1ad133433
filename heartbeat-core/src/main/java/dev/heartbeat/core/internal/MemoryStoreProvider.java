package dev.heartbeat.core.internal;

import dev.heartbeat.StoreNotFoundException;
import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.HeartbeatStoreProvider;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens {@code memory:} stores. {@code memory:} alone is a fresh store; {@code memory:NAME} is
 * the store of that name in this JVM, shared by every {@code Heartbeats} that opens it (for
 * demos and tests of several candidates in one process).
 *
 * <p>A named store lives as long as something holds it (an open {@code Heartbeats}, or a caller
 * that keeps the store): the registry of names holds it weakly, so once the last holder lets go
 * it may be collected, and the name then opens a new, empty store. Names whose store was
 * collected leave the registry at the next open, so it holds no more names than stores alive.
 */
public final class MemoryStoreProvider implements HeartbeatStoreProvider {
  private static final ConcurrentHashMap<String, WeakReference<MemoryStore>> NAMED =
      new ConcurrentHashMap<>();

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
    NAMED.values().removeIf(ref -> ref.get() == null);
    MemoryStore[] opened = new MemoryStore[1];
    NAMED.compute(name, (n, ref) -> {
      opened[0] = ref == null ? null : ref.get();
      if (opened[0] == null) {
        opened[0] = new MemoryStore();
        return new WeakReference<>(opened[0]);
      }
      return ref;
    });
    return opened[0];
  }

  /** Names in the registry (for tests). */
  static int named() {
    return NAMED.size();
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
    NAMED.values().removeIf(ref -> ref.get() == null);
    WeakReference<MemoryStore> ref = NAMED.get(name);
    MemoryStore store = ref == null ? null : ref.get();
    if (store == null) {
      throw new StoreNotFoundException("memory:" + name,
          "no memory store of that name is held in this JVM");
    }
    return store;
  }
}
