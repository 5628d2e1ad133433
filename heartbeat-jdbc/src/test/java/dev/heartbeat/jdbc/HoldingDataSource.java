package dev.heartbeat.jdbc;

import dev.heartbeat.tck.CommitHold;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Locale;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A DataSource on a real database whose commits wait on a {@link CommitHold}: what a slow commit
 * (a slow disk under the WAL, a slow network to the primary) looks like to every other client.
 * The driver's connection runs with auto-commit off; a statement the store runs in auto-commit
 * mode is executed, then, if it wrote, the hold is called and the statement committed, so its
 * row locks are held while the hold blocks. A transaction the store commits itself calls the
 * hold in {@code commit()} if it wrote. A statement writes when its SQL has INSERT, UPDATE (not
 * {@code FOR UPDATE}), DELETE or MERGE.
 */
final class HoldingDataSource implements DataSource {
  private static final Pattern WRITES = Pattern.compile("\\b(INSERT|UPDATE|DELETE|MERGE)\\b");

  private final DataSource target;
  private final CommitHold hold;

  HoldingDataSource(DataSource target, CommitHold hold) {
    this.target = target;
    this.hold = hold;
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection real = target.getConnection();
    real.setAutoCommit(false);
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, new HeldConnection(real));
  }

  static boolean writes(String sql) {
    return WRITES.matcher(sql.toUpperCase(Locale.ROOT).replace("FOR UPDATE", "")).find();
  }

  /** The store's view of one connection: its own auto-commit flag over the driver's. */
  private final class HeldConnection implements InvocationHandler {
    private final Connection real;
    private boolean autoCommit = true; // one store call at a time uses a connection
    private boolean wrote;

    HeldConnection(Connection real) {
      this.real = real;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "getAutoCommit" -> {
          return autoCommit;
        }
        case "setAutoCommit" -> {
          boolean on = (Boolean) args[0];
          if (on && !autoCommit) {
            commit();
          }
          autoCommit = on;
          return null;
        }
        case "commit" -> {
          commit();
          return null;
        }
        case "rollback" -> {
          wrote = false;
          return call(real, method, args);
        }
        case "close" -> {
          if (!real.isClosed()) {
            real.rollback();
            real.setAutoCommit(true);
          }
          return call(real, method, args);
        }
        default -> {
          Object result = call(real, method, args);
          if (result instanceof Statement statement) {
            String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
            return Proxy.newProxyInstance(Statement.class.getClassLoader(),
                new Class<?>[] {method.getReturnType()}, new HeldStatement(this, statement, sql));
          }
          return result;
        }
      }
    }

    void commit() throws SQLException {
      if (wrote) {
        hold.beforeCommit();
      }
      wrote = false;
      real.commit();
    }

    /** After a statement ran: in auto-commit mode, hold if it wrote, and commit. */
    void ran(boolean writing, boolean failed) throws SQLException {
      wrote |= writing;
      if (!autoCommit) {
        return;
      }
      if (failed) {
        wrote = false;
        real.rollback();
      } else {
        commit();
      }
    }
  }

  /** A statement that tells its connection when it ran. */
  private static final class HeldStatement implements InvocationHandler {
    private final HeldConnection connection;
    private final Statement real;
    private final String sql;

    HeldStatement(HeldConnection connection, Statement real, String sql) {
      this.connection = connection;
      this.real = real;
      this.sql = sql;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (!method.getName().startsWith("execute")) {
        return call(real, method, args);
      }
      String text = args != null && args.length > 0 && args[0] instanceof String s ? s : sql;
      boolean writing = text == null || writes(text);
      Object result;
      try {
        result = call(real, method, args);
      } catch (SQLException e) {
        connection.ran(writing, true);
        throw e;
      }
      connection.ran(writing, false);
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
