package dev.heartbeat.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The store's bounds on one call's connection: a network timeout
 * ({@link Connection#setNetworkTimeout}: a read that waits longer on the socket fails and the
 * connection is given back as broken) and a statement timeout ({@link Statement#setQueryTimeout}
 * on every statement the store prepares: the driver cancels a statement that runs longer, such as
 * one waiting on a lock another session holds). Zero turns either off.
 *
 * @param network the network timeout, zero for none
 * @param networkSet whether the user set it, rather than left the default
 * @param query the statement timeout, whole seconds, zero for none
 */
record Timeouts(Duration network, boolean networkSet, Duration query) {
  /** Neither timeout: for the store's own one-off calls whose caller bounds them. */
  static final Timeouts NONE = new Timeouts(Duration.ZERO, true, Duration.ZERO);
  /** The driver reads the socket on the caller's thread; it never runs the executor's tasks. */
  private static final Executor DIRECT = Runnable::run;

  /**
   * Applies the network timeout and returns the connection that applies the statement one. A
   * network timeout left at its default ({@code networkSet} false) only applies to a connection
   * that has none of its own, so a driver's {@code socketTimeout} in the URL is kept.
   */
  Connection apply(Connection connection) throws SQLException {
    if (!network.isZero() && (networkSet || connection.getNetworkTimeout() == 0)) {
      connection.setNetworkTimeout(DIRECT, (int) Math.min(Integer.MAX_VALUE, network.toMillis()));
    }
    if (query.isZero()) {
      return connection;
    }
    int seconds = (int) Math.min(Integer.MAX_VALUE, query.toSeconds());
    return (Connection) Proxy.newProxyInstance(Timeouts.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          Object result;
          try {
            result = method.invoke(connection, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (result instanceof Statement statement) {
            statement.setQueryTimeout(seconds);
          }
          return result;
        });
  }

  /**
   * Checks a timeout as the builder and the URI take it: zero (none) or positive; a statement
   * timeout in whole seconds, since {@link Statement#setQueryTimeout} takes seconds.
   */
  static Duration check(String parameter, Duration value, boolean wholeSeconds) {
    if (value == null || value.isNegative()) {
      throw new IllegalArgumentException(parameter + " must be zero (none) or positive, got "
          + value);
    }
    if (wholeSeconds && value.toNanos() % 1_000_000_000L != 0) {
      throw new IllegalArgumentException(parameter + " must be whole seconds (JDBC's "
          + "setQueryTimeout takes seconds), got " + value);
    }
    if (!wholeSeconds && !value.isZero() && value.toMillis() == 0) {
      throw new IllegalArgumentException(parameter + " must be zero (none) or at least 1 ms, got "
          + value);
    }
    return value;
  }
}
