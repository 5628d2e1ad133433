package dev.heartbeat.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A DataSource on a real database that counts the round trips its callers make: every
 * statement execution ({@code execute*}, a batch counting once, as the PostgreSQL driver sends
 * it) and every {@code commit} or {@code rollback}. Turning auto-commit off costs none (the
 * driver sends {@code BEGIN} with the first statement), nor does borrowing a connection.
 */
final class CountingDataSource implements DataSource {
  private final DataSource target;
  private final AtomicInteger trips = new AtomicInteger();

  CountingDataSource(DataSource target) {
    this.target = target;
  }

  /** The round trips so far. */
  int trips() {
    return trips.get();
  }

  /** The round trips that {@code action} makes. */
  int tripsOf(Runnable action) {
    int before = trips.get();
    action.run();
    return trips.get() - before;
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection real = target.getConnection();
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          String name = method.getName();
          if ((name.equals("commit") || name.equals("rollback")) && !real.getAutoCommit()) {
            trips.incrementAndGet();
          }
          Object result = call(real, method, args);
          if (result instanceof Statement statement) {
            return Proxy.newProxyInstance(Statement.class.getClassLoader(),
                new Class<?>[] {method.getReturnType()}, counting(statement));
          }
          return result;
        });
  }

  private InvocationHandler counting(Statement statement) {
    return (proxy, method, args) -> {
      if (method.getName().startsWith("execute")) {
        trips.incrementAndGet();
      }
      return call(statement, method, args);
    };
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public Connection getConnection(String username, String password) {
    throw new UnsupportedOperationException("the store asks for plain connections");
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return target.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    target.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    target.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return target.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return target.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper of " + iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
