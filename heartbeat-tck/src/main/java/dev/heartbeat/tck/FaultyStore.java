package dev.heartbeat.tck;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.spi.HeartbeatStore;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A real store seen through a faulty link: every call passes through to the store underneath
 * unless the test has made the link fail (every call throws) or hang (every call blocks until
 * healed, like a black-holed connection). Not a mock: what does get through is the real store's
 * answer. One instance per client, so one client can be cut off while others are not. The faults
 * reach the task calls too ({@link #tasks()}), so a worker can be cut off from its claims.
 */
public final class FaultyStore extends ForwardingStore {
  /** The state of the link. */
  public enum Mode {
    /** Every call passes through. */
    HEALTHY,
    /** Every call throws {@link HeartbeatStoreException}. */
    FAILING,
    /** Every call blocks until healed. */
    HANGING,
    /** Every call throws an {@link AssertionError}. */
    BROKEN
  }

  private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.HEALTHY);
  private final AtomicReference<CountDownLatch> healed =
      new AtomicReference<>(new CountDownLatch(0));
  private final AtomicInteger calls = new AtomicInteger();

  /**
   * Wraps {@code store}; the wrapped store is not closed by {@link #close()}.
   *
   * @param store the store
   */
  public FaultyStore(HeartbeatStore store) {
    super(store);
  }

  /** Every call from now on throws {@link HeartbeatStoreException}. */
  public void fail() {
    mode.set(Mode.FAILING);
  }

  /**
   * Every call from now on throws an {@link AssertionError}, not an exception: the worst a broken
   * driver can do.
   */
  public void breakDown() {
    mode.set(Mode.BROKEN);
  }

  /** Every call from now on blocks until {@link #heal()}. */
  public void hang() {
    healed.set(new CountDownLatch(1));
    mode.set(Mode.HANGING);
  }

  /** Calls pass again; hanging calls go on to the store. */
  public void heal() {
    mode.set(Mode.HEALTHY);
    healed.get().countDown();
  }

  /**
   * Calls made through this link so far.
   *
   * @return the number of calls so far
   */
  public int calls() {
    return calls.get();
  }

  @Override
  protected <T> T around(String op, Supplier<T> call) {
    calls.incrementAndGet();
    switch (mode.get()) {
      case FAILING -> throw new HeartbeatStoreException(describe(), op, "link cut by the test");
      case HANGING -> {
        try {
          healed.get().await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new HeartbeatStoreException(describe(), op, "interrupted while hanging");
        }
      }
      case BROKEN -> throw new AssertionError("driver bug injected by the test");
      case HEALTHY -> { }
    }
    return call.get();
  }

  @Override
  public String describe() {
    return "faulty(" + store.describe() + ")";
  }

  @Override
  public void close() {
    heal();
  }
}
