package dev.heartbeat.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Where the store borrows connections: the user's {@link DataSource} or the HikariCP pool of
 * {@code jdbc:} URIs.
 */
interface ConnectionSource extends AutoCloseable {

  /** A connection in auto-commit mode, for one operation. */
  Connection borrow() throws SQLException;

  /** Returns a borrowed connection; a {@code broken} one is closed, never reused. */
  void giveBack(Connection connection, boolean broken);

  /** Releases what the source owns (the pool's connections; nothing for a DataSource). */
  @Override
  void close();

  /** The user's DataSource: borrow is {@code getConnection()}, give back is {@code close()}. */
  static ConnectionSource of(DataSource dataSource) {
    return new ConnectionSource() {
      @Override
      public Connection borrow() throws SQLException {
        return dataSource.getConnection();
      }

      @Override
      public void giveBack(Connection connection, boolean broken) {
        try {
          connection.close();
        } catch (SQLException e) {
          // the pool behind the DataSource deals with it
        }
      }

      @Override
      public void close() {
        // the user owns the DataSource
      }
    };
  }
}
