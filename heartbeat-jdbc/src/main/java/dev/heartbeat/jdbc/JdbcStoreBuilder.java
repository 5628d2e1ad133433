package dev.heartbeat.jdbc;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.spi.Checks;
import java.sql.Connection;
import java.time.Duration;

/**
 * Settings of a {@link JdbcStore}; every setter validates at once and names the bad value.
 * Not thread-safe.
 */
public final class JdbcStoreBuilder {
  // read by JdbcStore's constructor
  final ConnectionSource source;
  final String description;
  String tablePrefix = JdbcStore.DEFAULT_TABLE_PREFIX;
  int historyLimit = JdbcStore.DEFAULT_HISTORY_LIMIT;
  Dialect dialect;
  boolean createSchema;
  Duration networkTimeout = JdbcStore.DEFAULT_NETWORK_TIMEOUT;
  boolean networkTimeoutSet;
  Duration queryTimeout = JdbcStore.DEFAULT_QUERY_TIMEOUT;

  JdbcStoreBuilder(ConnectionSource source, String description) {
    this.source = source;
    this.description = description;
  }

  /**
   * The prefix of every table and index name: letters, digits and underscores, starting with
   * a letter or underscore, at most {@value JdbcStore#MAX_TABLE_PREFIX_LENGTH} characters; may be
   * empty. Default {@value JdbcStore#DEFAULT_TABLE_PREFIX}.
   *
   * @param tablePrefix the prefix of every table and index name
   * @return this builder
   */
  public JdbcStoreBuilder tablePrefix(String tablePrefix) {
    Checks.notNull("tablePrefix", tablePrefix);
    if (tablePrefix.length() > JdbcStore.MAX_TABLE_PREFIX_LENGTH) {
      throw new IllegalArgumentException("tablePrefix must be at most "
          + JdbcStore.MAX_TABLE_PREFIX_LENGTH + " characters, got " + tablePrefix.length() + ": '"
          + tablePrefix + "'");
    }
    if (!tablePrefix.isEmpty() && !Schema.PREFIX.matcher(tablePrefix).matches()) {
      throw new IllegalArgumentException("tablePrefix must be letters, digits and underscores, "
          + "starting with a letter or underscore, got '" + tablePrefix + "'");
    }
    this.tablePrefix = tablePrefix;
    return this;
  }

  /**
   * Beats and events kept per agent, at least 1; default {@value JdbcStore#DEFAULT_HISTORY_LIMIT}.
   *
   * @param historyLimit beats and events kept per agent, at least 1
   * @return this builder
   */
  public JdbcStoreBuilder historyLimit(int historyLimit) {
    this.historyLimit = (int) Checks.atLeast("historyLimit", historyLimit, 1);
    return this;
  }

  /**
   * How long a call waits on the socket for the database's answer before its connection is
   * given up ({@link Connection#setNetworkTimeout}, set on every connection the store
   * borrows; the pool resets it on return). Without it a server that stops answering (a
   * partition, a frozen host) keeps the call's connection forever, since pgjdbc and MariaDB
   * have no socket timeout by default. Keep it at or below the longest renewal deadline of the
   * leases on this store. Default {@link JdbcStore#DEFAULT_NETWORK_TIMEOUT} for connections that have
   * no network timeout of their own (a driver's {@code socketTimeout} is kept unless this is
   * set); zero: none.
   *
   * @param networkTimeout zero or at least 1 ms
   * @return this builder
   * @throws IllegalArgumentException when negative, null or below 1 ms
   */
  public JdbcStoreBuilder networkTimeout(Duration networkTimeout) {
    this.networkTimeout = Timeouts.check("networkTimeout", networkTimeout, false);
    this.networkTimeoutSet = true;
    return this;
  }

  /**
   * How long one statement may run ({@link java.sql.Statement#setQueryTimeout} on every
   * statement the store prepares): the driver cancels it after that, which also ends a wait on
   * a lock another session holds. Keep it below {@link #networkTimeout(Duration)}, so that the
   * server cancels a slow statement before the socket gives up on it. Default
   * {@link JdbcStore#DEFAULT_QUERY_TIMEOUT}; zero: none.
   *
   * @param queryTimeout zero or whole seconds
   * @return this builder
   * @throws IllegalArgumentException when negative, null or not whole seconds
   */
  public JdbcStoreBuilder queryTimeout(Duration queryTimeout) {
    this.queryTimeout = Timeouts.check("queryTimeout", queryTimeout, true);
    return this;
  }

  /**
   * The SQL dialect, instead of detecting it from the database.
   *
   * @param dialect the SQL dialect, instead of detecting it from the database
   * @return this builder
   */
  public JdbcStoreBuilder dialect(Dialect dialect) {
    this.dialect = Checks.notNull("dialect", dialect);
    return this;
  }

  /**
   * Whether {@link #build()} creates the tables and indexes that are missing (as
   * {@link JdbcStore#createSchema()} does), or leaves the schema to the caller's migrations.
   * Default {@code false} for a store on a DataSource: nothing is created unless asked, and an
   * operation on a missing table fails with a {@link HeartbeatStoreException} that says how to
   * create it. A {@code jdbc:} URI always creates its tables.
   *
   * @param createSchema whether {@link #build()} creates the tables and indexes that are missing
   *     (as {@link JdbcStore#createSchema()} does), or leaves the schema to the caller's
   *     migrations
   * @return this builder
   */
  public JdbcStoreBuilder createSchema(boolean createSchema) {
    this.createSchema = createSchema;
    return this;
  }

  /**
   * Builds the store. Without an explicit dialect this connects once to detect it; with
   * {@link #createSchema(boolean) createSchema(true)} it creates the missing tables.
   *
   * @return the store
   * @throws HeartbeatStoreException when detection or schema creation fails
   * @throws IllegalArgumentException when the database has no dialect
   */
  public JdbcStore build() {
    JdbcStore store = new JdbcStore(this, dialect != null ? dialect : detect());
    if (createSchema) {
      store.createSchema();
    }
    return store;
  }

  private Dialect detect() {
    String product = new Jdbc(description, source, "").call("detect dialect",
        (Connection c) -> c.getMetaData().getDatabaseProductName());
    return Dialect.detect(product);
  }
}
