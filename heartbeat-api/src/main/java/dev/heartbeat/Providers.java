package dev.heartbeat;

import dev.heartbeat.spi.EngineProvider;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.HeartbeatStoreProvider;
import dev.heartbeat.spi.StoreUris;
import java.net.URI;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds the engine and the stores through {@link ServiceLoader}. */
final class Providers {
  private Providers() {}

  static EngineProvider engine() {
    return ServiceLoader.load(EngineProvider.class, Providers.class.getClassLoader()).findFirst()
        .orElseThrow(() -> new IllegalStateException(
            "no heartbeat engine found: add dev.heartbeat:heartbeat-core to the class path"));
  }

  /** Parses a store URI; a bare {@code scheme:} as {@link StoreUris#isBare} says. */
  static URI parse(String uri) {
    return StoreUris.parse(uri);
  }

  static HeartbeatStore openStore(URI uri, boolean existing) {
    String scheme = uri.getScheme();
    if (scheme == null) {
      throw new IllegalArgumentException("uri must start with a scheme such as memory:, file:, "
          + "jdbc: or redis://, got '" + uri + "'");
    }
    TreeSet<String> known = new TreeSet<>();
    for (HeartbeatStoreProvider provider : ServiceLoader.load(HeartbeatStoreProvider.class,
        Providers.class.getClassLoader())) {
      if (provider.schemes().contains(scheme.toLowerCase(java.util.Locale.ROOT))) {
        return existing ? provider.openExisting(uri) : provider.open(uri);
      }
      known.addAll(provider.schemes());
    }
    throw new IllegalArgumentException("uri has scheme '" + scheme + "' but no store on the class "
        + "path opens it (known: " + known + "); add the store's module, such as heartbeat-file");
  }
}
