package dev.heartbeat.spi;

import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The unreadable records a store has skipped, for {@code HeartbeatStore.problems()}: each
 * location is logged at WARN once, the first time it is seen; the list keeps the newest
 * {@value #CAPACITY}. A record that is later written well is forgotten, so a repaired record that
 * breaks again is reported again. Thread-safe; for store implementations.
 *
 * <p>It logs through {@link System.Logger} (logger {@code dev.heartbeat.spi.StoreProblems}), so the
 * SPI needs no logging library; applications on SLF4J route it with
 * {@code org.slf4j:slf4j-jdk-platform-logging}.
 */
public final class StoreProblems {
  /** How many problems are kept. */
  public static final int CAPACITY = 256;
  private static final System.Logger LOG = System.getLogger(StoreProblems.class.getName());

  private final String store;
  private final InstantSource clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<StoreProblem> recent = new ArrayDeque<>();
  private final Set<String> active = new HashSet<>();

  /**
   * Problems of the store described as {@code store}, stamped by {@code clock}.
   *
   * @param clock the clock
   * @param store the store
   */
  public StoreProblems(String store, InstantSource clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Reports that the record at {@code location} could not be read; logs once per location.
   *
   * @param location the record (file, key, row) that could not be read
   * @param problem what is wrong with it
   */
  public void report(String location, String problem) {
    boolean first;
    lock.lock();
    try {
      first = active.add(location);
      if (first) {
        if (recent.size() == CAPACITY) {
          recent.removeFirst();
        }
        recent.addLast(new StoreProblem(location, problem, clock.instant()));
      }
    } finally {
      lock.unlock();
    }
    if (first) {
      LOG.log(System.Logger.Level.WARNING, "{0}: skipped unreadable record {1}: {2}", store, location,
          problem);
    }
  }

  /**
   * Forgets a location after a good write repaired it.
   *
   * @param location the record (file, key, row) that could not be read
   */
  public void repaired(String location) {
    lock.lock();
    try {
      if (active.remove(location)) {
        LOG.log(System.Logger.Level.INFO, "{0}: record {1} is readable again", store, location);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The problems seen, oldest first.
   *
   * @return the problems seen, oldest first
   */
  public List<StoreProblem> list() {
    lock.lock();
    try {
      return List.copyOf(recent);
    } finally {
      lock.unlock();
    }
  }
}
