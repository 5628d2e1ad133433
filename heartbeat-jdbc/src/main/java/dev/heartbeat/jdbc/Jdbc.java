package dev.heartbeat.jdbc;

import dev.heartbeat.HeartbeatStoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one store operation on one borrowed connection, either in auto-commit mode or as one
 * short transaction. A transaction that loses a race the database detects (deadlock,
 * serialization failure, a duplicate key from a concurrent first insert) is run again, at most
 * {@value #ATTEMPTS} times. Any other {@link SQLException} becomes a
 * {@link HeartbeatStoreException} naming the store and the operation, and the connection is
 * given back as broken. Each call's connection is bounded by the store's {@link Timeouts}.
 * After {@link #close()} every new operation fails.
 */
final class Jdbc {
  /** How often a transaction that lost a race is tried. */
  static final int ATTEMPTS = 3;
  private static final Logger LOG = LoggerFactory.getLogger(Jdbc.class);

  /** A unit of work on a connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final String store;
  private final ConnectionSource source;
  private final String missingTableHint;
  private final Timeouts timeouts;
  private final AtomicInteger running = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong racesLost =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile boolean closed;

  /**
   * Runs operations of {@code store} on {@code source}; a failure because a table is missing
   * carries {@code missingTableHint}, which says how to create the tables.
   */
  Jdbc(String store, ConnectionSource source, String missingTableHint) {
    this(store, source, missingTableHint, Timeouts.NONE);
  }

  /** As above, every call bounded by {@code timeouts}. */
  Jdbc(String store, ConnectionSource source, String missingTableHint, Timeouts timeouts) {
    this.store = store;
    this.source = source;
    this.missingTableHint = missingTableHint;
    this.timeouts = timeouts;
  }

  /** Runs {@code work} in auto-commit mode. */
  <T> T call(String operation, Work<T> work) {
    return run(operation, work, false);
  }

  /**
   * Runs {@code work} in auto-commit mode, where it is one statement that the database runs as
   * one transaction (a procedure that rolls back on any error); run again, at most
   * {@value #ATTEMPTS} times, when it lost a race (a deadlock), as {@link #transaction} is.
   */
  <T> T atomic(String operation, Work<T> work) {
    return run(operation, c -> {
      for (int attempt = 1; ; attempt++) {
        try {
          return work.run(c);
        } catch (SQLException e) {
          if (attempt >= ATTEMPTS || !lostRace(e)) {
            throw e;
          }
          racesLost.incrementAndGet();
          LOG.debug("{}: {} lost a race ({}), running it again", store, operation,
              e.getSQLState());
        }
      }
    }, false);
  }

  /** Runs {@code work} as one transaction, committed when it returns. */
  <T> T transaction(String operation, Work<T> work) {
    return run(operation, work, true);
  }

  /** The store, as errors name it. */
  String store() {
    return store;
  }

  /** From now on every operation fails; those already running finish. */
  void close() {
    closed = true;
  }

  /** Operations running now. */
  int running() {
    return running.get();
  }

  /** How many times a transaction was run again after losing a race (deadlock, duplicate key). */
  long racesLost() {
    return racesLost.get();
  }

  private <T> T run(String operation, Work<T> work, boolean transaction) {
    running.incrementAndGet();
    try {
      if (closed) {
        throw new HeartbeatStoreException(store, operation, "the store is closed");
      }
      Connection connection;
      try {
        connection = source.borrow();
      } catch (SQLException | RuntimeException e) {
        throw new HeartbeatStoreException(store, operation, e);
      }
      boolean broken = true;
      try {
        Connection bounded = timeouts.apply(connection);
        T result = transaction ? inTransaction(bounded, operation, work) : work.run(bounded);
        broken = false;
        return result;
      } catch (SQLException e) {
        if (missingTable(e) || missingColumn(e) || missingProcedure(e)) {
          broken = false; // the connection is fine; the schema is not there
          HeartbeatStoreException missing = new HeartbeatStoreException(store, operation,
              (missingProcedure(e) ? "a procedure is missing (" : "a table or column is missing (")
              + e.getMessage() + "); " + missingTableHint);
          missing.initCause(e);
          throw missing;
        }
        throw new HeartbeatStoreException(store, operation, e);
      } finally {
        source.giveBack(connection, broken);
      }
    } finally {
      running.decrementAndGet();
    }
  }

  private <T> T inTransaction(Connection connection, String operation, Work<T> work)
      throws SQLException {
    connection.setAutoCommit(false);
    for (int attempt = 1; ; attempt++) {
      try {
        T result = work.run(connection);
        connection.commit();
        connection.setAutoCommit(true);
        return result;
      } catch (SQLException e) {
        try {
          connection.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
          throw e; // the connection is gone; it is given back as broken
        }
        if (attempt >= ATTEMPTS || !lostRace(e)) {
          connection.setAutoCommit(true);
          throw e;
        }
        racesLost.incrementAndGet();
        LOG.debug("{}: {} lost a race ({}), running it again", store, operation, e.getSQLState());
      }
    }
  }

  /** An undefined table: PostgreSQL {@code 42P01}, MariaDB and H2 {@code 42S02}. */
  static boolean missingTable(SQLException e) {
    String state = e.getSQLState();
    return "42P01".equals(state) || "42S02".equals(state) || "42S04".equals(state)
        || e.getErrorCode() == 42102 || e.getErrorCode() == 42104;
  }

  /** An undefined column (tables of an earlier version): {@code 42703}, {@code 42S22}. */
  static boolean missingColumn(SQLException e) {
    String state = e.getSQLState();
    return "42703".equals(state) || "42S22".equals(state) || e.getErrorCode() == 42122;
  }

  /** An undefined procedure (tables of a version before it): MariaDB/MySQL error 1305. */
  static boolean missingProcedure(SQLException e) {
    return e.getErrorCode() == 1305 && "42000".equals(e.getSQLState());
  }

  /** Deadlock, serialization failure, or a duplicate key from a concurrent insert. */
  static boolean lostRace(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("40") || state.startsWith("23"));
  }
}
