package dev.heartbeat.tck;

import static dev.heartbeat.tck.Beats.plain;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.spi.HeartbeatStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The incremental read against the commit-order race of a store of transactions
 * ({@link DelayedCommitHarness}): a beat stamped first but committed after a read that saw a
 * beat stamped later is still in the next read. A cursor at the newest stamp seen would skip it.
 */
public abstract class ChangesRaceContract extends StoreContract {
  private static final long TIMEOUT_SECONDS = 60;

  /** For subclasses, one per store. */
  protected ChangesRaceContract() {}

  private final List<HeartbeatStore> opened = new ArrayList<>();
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "changes-race");
    thread.setDaemon(true);
    return thread;
  });

  /**
   * The store under test.
   *
   * @return its harness
   */
  @Override
  protected abstract DelayedCommitHarness harness();

  @AfterEach
  void closeHoldingStores() {
    pool.shutdownNow();
    opened.forEach(HeartbeatStore::close);
    opened.clear();
  }

  @Test
  void aBeatCommittedAfterAReadThatSawALaterStampedOneIsInTheNextRead() throws Exception {
    HeldCommit hold = new HeldCommit(TIMEOUT_SECONDS);
    HeartbeatStore store = harness().openHoldingCommits(time, HISTORY_LIMIT, hold);
    opened.add(store);
    store.register(plain("a", 1));
    store.register(plain("b", 1));
    ChangesContract.Reader reader = new ChangesContract.Reader(store);
    reader.readAndCheck("the first read");
    time.advance(Duration.ofMinutes(1));
    Future<Optional<Heartbeat>> slow = pool.submit(hold.holding(
        () -> store.record(plain("a", 2))));
    hold.awaitReachedOr(slow); // a's beat is stamped, not committed
    time.advance(Duration.ofMillis(5));
    store.record(plain("b", 2)); // stamped after a's, committed before it
    reader.read(); // sees b's beat (and a's, on a store with nothing to hold)
    hold.open();
    slow.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    reader.readAndCheck("a's beat, committed after the read that saw b's later one");
  }
}
