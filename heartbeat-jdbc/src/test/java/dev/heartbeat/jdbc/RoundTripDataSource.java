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
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A DataSource on a real database that counts the round trips a store's calls make: every
 * statement executed (a JDBC batch counts once, as the driver sends it in one flight) and every
 * commit or rollback, whether called or implied by turning auto-commit back on inside a
 * transaction.
 */
final class RoundTripDataSource implements DataSource {
  private static final Set<String> EXECUTES = Set.of("execute", "executeQuery", "executeUpdate",
      "executeLargeUpdate", "executeBatch", "executeLargeBatch");

  private final DataSource target;
  private final AtomicLong trips = new AtomicLong();

  RoundTripDataSource(DataSource target) {
    this.target = target;
  }

  /** The round trips counted so far. */
  long trips() {
    return trips.get();
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection real = target.getConnection();
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, new Counted(real));
  }

  private final class Counted implements InvocationHandler {
    private final Connection real;

    Counted(Connection real) {
      this.real = real;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      if (name.equals("commit") || name.equals("rollback")
          || (name.equals("setAutoCommit") && (Boolean) args[0] && !real.getAutoCommit())) {
        trips.incrementAndGet();
      }
      Object result = call(real, method, args);
      if (result instanceof Statement statement) {
        return Proxy.newProxyInstance(Statement.class.getClassLoader(),
            method.getReturnType().isInterface() ? new Class<?>[] {method.getReturnType()}
                : new Class<?>[] {Statement.class},
            (p, m, a) -> {
              if (EXECUTES.contains(m.getName())) {
                trips.incrementAndGet();
              }
              return call(statement, m, a);
            });
      }
      return result;
    }
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the store asks for a connection without a user");
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
    return target.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return target.isWrapperFor(iface);
  }
}
