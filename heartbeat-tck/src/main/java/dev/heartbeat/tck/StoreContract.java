package dev.heartbeat.tck;

import dev.heartbeat.spi.HeartbeatStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** Base of every contract test class: opens stores through the harness and closes them. */
public abstract class StoreContract {
  /** For subclasses: a store's test class extends it. */
  protected StoreContract() {}

  /** The history limit the kit's stores are opened with. */
  protected static final int HISTORY_LIMIT = 20;

  private final List<HeartbeatStore> opened = new ArrayList<>();
  /** The test's clock. */
  protected final ManualTime time = new ManualTime();

  /**
   * The store under test.
   *
   * @return the store under test
   */
  protected abstract StoreHarness harness();

  /**
   * A fresh store on {@link #time}, closed after the test.
   *
   * @return a fresh store on {@link #time}, closed after the test
   */
  protected HeartbeatStore open() {
    HeartbeatStore store = harness().open(time, HISTORY_LIMIT);
    opened.add(store);
    return store;
  }

  @AfterEach
  void closeStores() {
    for (HeartbeatStore store : opened) {
      store.close();
    }
    opened.clear();
  }
}
