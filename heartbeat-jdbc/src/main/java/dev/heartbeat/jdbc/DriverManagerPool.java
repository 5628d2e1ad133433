package dev.heartbeat.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The small pool behind {@code jdbc:} URIs: at most {@code size} connections from
 * {@link DriverManager}, guarded by a {@link Semaphore} (no {@code synchronized}, so virtual
 * threads never pin). A borrower waits at most {@code borrowTimeout} for a permit. A connection
 * idle for longer than {@link #VALIDATE_AFTER} is checked with {@link Connection#isValid} before
 * it is lent again; a broken one (any failure while it was lent) is closed, never reused. Bound
 * slow or dead servers with the driver's own URL settings, such as PostgreSQL's
 * {@code connectTimeout} and {@code socketTimeout}.
 */
final class DriverManagerPool implements ConnectionSource {
  /** Idle time after which a connection is validated before it is lent. */
  static final Duration VALIDATE_AFTER = Duration.ofSeconds(1);
  private static final int VALIDATION_SECONDS = 2;

  private record Idle(Connection connection, long since) {}

  private final String url;
  private final Duration borrowTimeout;
  private final Semaphore permits;
  private final ConcurrentLinkedDeque<Idle> idle = new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

  DriverManagerPool(String url, int size, Duration borrowTimeout) {
    this.url = url;
    this.borrowTimeout = borrowTimeout;
    this.permits = new Semaphore(size);
  }

  @Override
  public Connection borrow() throws SQLException {
    if (closed) {
      throw new SQLTransientConnectionException("the connection pool is closed");
    }
    try {
      if (!permits.tryAcquire(borrowTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new SQLTransientConnectionException("no pooled connection free within "
            + borrowTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLTransientConnectionException("interrupted while waiting for a connection", e);
    }
    try {
      for (Idle i = idle.pollFirst(); i != null; i = idle.pollFirst()) {
        if (System.nanoTime() - i.since() < VALIDATE_AFTER.toNanos()
            || i.connection().isValid(VALIDATION_SECONDS)) {
          return i.connection();
        }
        closeQuietly(i.connection());
      }
      return DriverManager.getConnection(url);
    } catch (SQLException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  @Override
  public void giveBack(Connection connection, boolean broken) {
    try {
      if (broken || closed || connection.isClosed()) {
        closeQuietly(connection);
      } else {
        idle.offerFirst(new Idle(connection, System.nanoTime()));
      }
    } catch (SQLException e) {
      closeQuietly(connection);
    } finally {
      permits.release();
    }
    if (closed) {
      drain();
    }
  }

  /** Connections waiting to be lent (for tests). */
  int idleCount() {
    return idle.size();
  }

  @Override
  public void close() {
    closed = true;
    drain();
  }

  private void drain() {
    for (Idle i = idle.pollFirst(); i != null; i = idle.pollFirst()) {
      closeQuietly(i.connection());
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException | RuntimeException e) {
      // already unusable
    }
  }
}
