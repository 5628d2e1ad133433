package dev.heartbeat.jdbc;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Lease;
import dev.heartbeat.ProgressEvent;
import dev.heartbeat.StoreNotFoundException;
import dev.heartbeat.spi.StoreProblems;
import dev.heartbeat.spi.AgentChanges;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.ChangeCursor;
import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.LeaseRenewal;
import dev.heartbeat.spi.Retention;
import dev.heartbeat.spi.StoreProblem;
import dev.heartbeat.spi.TaskStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heartbeat store on a relational database: PostgreSQL, MariaDB/MySQL or H2, through any
 * {@link DataSource}. Build it with {@link #builder(DataSource)}; create its tables with
 * {@link JdbcStoreBuilder#createSchema(boolean) createSchema(true)} on the builder or {@link #createSchema()}
 * (idempotent and safe when several processes do it at once), or run the dialect's DDL resource
 * yourself. {@code Heartbeats.open("jdbc:...")} opens one on its own pool and creates the schema.
 *
 * <p>Five tables, named with the table prefix: {@code agents} (latest state),
 * {@code heartbeats} (history), {@code events} (progress events), {@code leases}, and
 * {@code fencing}, the per-name token counter that is never reset or deleted; and three for
 * {@link #tasks()}: {@code tasks}, {@code task_attempts} and {@code task_tokens}. Expiry is always
 * judged by the database clock, never this JVM's. Every lease write is one conditional statement
 * or one short transaction serialised by a row lock; a beat is one statement on PostgreSQL and
 * one transaction elsewhere, and a batch of beats one statement (PostgreSQL) or one transaction
 * (MariaDB) per thousand. All values are bound parameters.
 *
 * <p>Task signals ({@link dev.heartbeat.spi.TaskStore#signals()}): on PostgreSQL a worker hears
 * of new work through {@code LISTEN/NOTIFY} on one connection the store keeps for it, so it
 * claims at once; on MariaDB and H2 there are none and a worker finds work at its poll
 * ({@code TaskWorker.Builder.pollInterval}, 1 s by default): set it to the claim latency you
 * need.
 *
 * <p>Renewal is one statement and one round trip: {@code UPDATE ... RETURNING} on PostgreSQL,
 * {@code SELECT ... FROM FINAL TABLE (UPDATE ...)} on H2, and on MariaDB/MySQL an
 * {@code UPDATE} that hands the database clock back through {@code LAST_INSERT_ID(...)} while
 * the store knows the lease's term (from its own acquisition or an earlier renewal; else it
 * reads the row once first). The connection's {@code LAST_INSERT_ID()} is then that timestamp.
 *
 * <p>Batch renewal is one round trip per 10,000 leases on PostgreSQL ({@code UPDATE ... FROM
 * unnest(...) RETURNING}); on MariaDB and H2 it is one transaction per 500 leases with a JDBC
 * batch and one read. Instants are kept in microseconds, so durations are rounded up to whole microseconds.
 *
 * <p>Thread-safe. Store calls block on JDBC; each is bounded by the store's network and
 * statement timeouts ({@link JdbcStoreBuilder#networkTimeout}, {@link JdbcStoreBuilder#queryTimeout}), so that a
 * hung connection is given up and the pool can lend a working one; the engine itself abandons a
 * call at its deadline, but the connection stays busy until a timeout ends the call. The
 * driver's {@code connectTimeout} bounds opening a connection.
 */
public final class JdbcStore implements HeartbeatStore {
  /** The table prefix unless one is set. */
  public static final String DEFAULT_TABLE_PREFIX = "heartbeat_";
  /** The longest table prefix, so that every table and index name fits every database. */
  public static final int MAX_TABLE_PREFIX_LENGTH = 30;
  /** Beats and events kept per agent unless set. */
  public static final int DEFAULT_HISTORY_LIMIT = 1000;
  /**
   * The network timeout unless set: twice the engine's default renewal deadline (10 s), so that
   * a connection whose server stopped answering is given up soon after the engine gave up the
   * call, and the pool can lend a working one again.
   */
  public static final Duration DEFAULT_NETWORK_TIMEOUT = Duration.ofSeconds(20);
  /** The statement timeout unless set: the engine's default renewal deadline. */
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);

  private final String description;
  private final Dialect dialect;
  private final String prefix;
  private final ConnectionSource source;
  private final Sql sql;
  private final Jdbc jdbc;
  private final StoreProblems problems;
  private final AgentTable agentTable;
  private final LeaseTable leaseTable;
  private final SingleRenewal renewal;
  private final Renewals renewals;
  private final Pruner pruner;
  private final JdbcTasks tasks;
  private final PgSignals signals; // null but on PostgreSQL
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Supplier<Duration> clockOffset = () -> Duration.ZERO;
  private volatile Runnable afterClose = () -> { };

  JdbcStore(JdbcStoreBuilder b, Dialect dialect) {
    this.dialect = dialect;
    this.prefix = b.tablePrefix;
    this.source = b.source;
    this.description = b.description + " (" + dialect.name().toLowerCase(java.util.Locale.ROOT)
        + ", tables " + prefix + "*)";
    this.sql = new Sql(dialect, prefix);
    this.jdbc = new Jdbc(description, source, Schema.howToCreate(dialect),
        new Timeouts(b.networkTimeout, b.networkTimeoutSet, b.queryTimeout));
    this.problems = new StoreProblems(description, InstantSource.system());
    LongSupplier offset = () -> Rows.micros(clockOffset.get());
    this.agentTable = new AgentTable(sql, jdbc, problems, offset, b.historyLimit);
    Terms terms = new Terms(dialect == Dialect.MARIADB ? Terms.CAPACITY : 0);
    this.leaseTable = new LeaseTable(sql, jdbc, problems, offset, terms);
    this.renewal = new SingleRenewal(sql, jdbc, leaseTable, terms, offset);
    this.renewals = new Renewals(sql, jdbc, leaseTable, offset);
    this.pruner = new Pruner(sql, jdbc, offset);
    this.signals = dialect == Dialect.POSTGRESQL
        ? new PgSignals(description, source, prefix, b.networkTimeout) : null;
    this.tasks = new JdbcTasks(dialect, prefix, jdbc, problems, offset, signals);
    LOG.info("{}: history limit {}, network timeout {}, query timeout {}", description,
        b.historyLimit, b.networkTimeout, b.queryTimeout);
  }

  /**
   * A store on {@code dataSource}; the caller keeps owning (and closes) the DataSource.
   *
   * @param dataSource the data source
   * @return a store on {@code dataSource}; the caller keeps owning (and closes) the DataSource
   * @throws IllegalArgumentException when {@code dataSource} is null
   */
  public static JdbcStoreBuilder builder(DataSource dataSource) {
    Checks.notNull("dataSource", dataSource);
    return new JdbcStoreBuilder(ConnectionSource.of(dataSource), "jdbc:DataSource");
  }

  /** A store on a connection source it owns (the HikariCP pool of {@code jdbc:} URIs). */
  static JdbcStoreBuilder builder(ConnectionSource source, String description) {
    return new JdbcStoreBuilder(source, description);
  }

  /**
   * Creates the tables and indexes if they do not exist yet, from this dialect's DDL resource,
   * and adds the columns that a newer version needs to tables of an older one; on MariaDB it
   * creates or replaces the procedure that records a beat in one call ({@code <prefix>record_beat},
   * which needs the {@code CREATE ROUTINE} privilege; calling it, {@code EXECUTE}). Idempotent;
   * existing rows are kept. Safe to race: stores (and processes) creating one schema at once are
   * serialised by a lock on the table prefix (PostgreSQL's advisory lock, MariaDB's
   * {@code GET_LOCK}; on H2, whose databases live in one JVM, a lock of the JVM).
   *
   * @throws HeartbeatStoreException when the database refuses
   */
  public void createSchema() {
    jdbc.transaction("createSchema()", c -> Schema.create(c, dialect, prefix));
  }

  /**
   * Checks that the tables are there, creating nothing.
   *
   * @throws StoreNotFoundException naming the missing tables when any is missing
   */
  void requireSchema() {
    List<String> missing = jdbc.call("open", c -> Schema.missingTables(c, sql));
    if (!missing.isEmpty()) {
      throw new StoreNotFoundException(description, "no table" + (missing.size() == 1 ? " " : "s ")
          + String.join(", ", missing) + " for table prefix '" + prefix + "'");
    }
  }

  /**
   * The dialect in use, detected or set.
   *
   * @return the dialect in use, detected or set
   */
  public Dialect dialect() {
    return dialect;
  }

  /** Drops the tables: for tests, which use a fresh prefix per store. */
  void dropSchema() {
    jdbc.call("dropSchema()", c -> Schema.drop(c, sql));
  }

  /** Tests only: a duration added to the database clock at every operation. */
  void clockOffset(Supplier<Duration> offset) {
    this.clockOffset = offset;
  }

  /** Tests only: runs after {@link #close()} (to recycle a test schema). */
  void afterClose(Runnable hook) {
    this.afterClose = hook;
  }

  String tablePrefix() {
    return prefix;
  }

  Sql sql() {
    return sql;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public Heartbeat register(Beat first) {
    Checks.notNull("first", first);
    return agentTable.register(first);
  }

  @Override
  public Optional<Heartbeat> record(Beat beat) {
    Checks.notNull("beat", beat);
    return agentTable.record(beat);
  }

  @Override
  public List<Optional<Heartbeat>> recordAll(List<Beat> beats) {
    Checks.notNull("beats", beats);
    for (int i = 0; i < beats.size(); i++) {
      Checks.notNull("beats[" + i + "]", beats.get(i));
    }
    return agentTable.recordAll(beats);
  }

  @Override
  public Optional<Heartbeat> agent(String agentId) {
    return agentTable.agent(Checks.id("agentId", agentId));
  }

  @Override
  public List<Heartbeat> agents() {
    return agentTable.agents();
  }

  /**
   * The agents whose row changed since the cursor: an indexed range read on the database's beat
   * time, and the forgets recorded since, with a cursor that trails the database clock so that a
   * commit-order race loses nothing (see the README's detector section).
   */
  @Override
  public AgentChanges agentsChangedSince(ChangeCursor cursor) {
    return agentTable.changedSince(Checks.notNull("cursor", cursor));
  }

  @Override
  public List<Heartbeat> history(String agentId, int limit) {
    return agentTable.history(Checks.id("agentId", agentId), limit);
  }

  @Override
  public List<ProgressEvent> events(String agentId, int limit) {
    return agentTable.events(Checks.id("agentId", agentId), limit);
  }

  /** Deletes the agent's latest state, history and progress events in one transaction. */
  @Override
  public boolean forget(String agentId) {
    return agentTable.forget(Checks.id("agentId", agentId));
  }

  @Override
  public long prune(Retention retention) {
    return pruner.prune(Checks.notNull("retention", retention));
  }

  @Override
  public Optional<Lease> tryAcquire(String name, String holder, Duration ttl) {
    Checks.id("name", name);
    Checks.id("holder", holder);
    Checks.positive("ttl", ttl);
    return leaseTable.tryAcquire(name, holder, ttl);
  }

  @Override
  public Optional<Lease> renew(String name, String holder, long token, Duration ttl) {
    Checks.id("name", name);
    Checks.id("holder", holder);
    Checks.positive("ttl", ttl);
    return token < 1 ? Optional.empty() : renewal.renew(name, holder, token, ttl);
  }

  @Override
  public List<Optional<Lease>> renewAll(List<LeaseRenewal> list) {
    Checks.notNull("renewals", list);
    return list.isEmpty() ? List.of() : renewals.renewAll(list);
  }

  @Override
  public boolean release(String name, String holder, long token) {
    return leaseTable.release(Checks.id("name", name), Checks.id("holder", holder), token);
  }

  @Override
  public Optional<Lease> lease(String name) {
    return leaseTable.lease(Checks.id("name", name));
  }

  @Override
  public List<Lease> leases() {
    return leaseTable.leases();
  }

  /**
   * The task store on this store's tables {@code tasks}, {@code task_attempts} and
   * {@code task_tokens} ({@link #createSchema()} creates them).
   */
  @Override
  public Optional<TaskStore> tasks() {
    return Optional.of(tasks);
  }

  @Override
  public Instant now() {
    return jdbc.call("now()", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.selectNow)) {
        ps.setLong(1, Rows.micros(clockOffset.get()));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return Rows.instant(rs.getLong(1));
        }
      }
    });
  }

  @Override
  public List<StoreProblem> problems() {
    return problems.list();
  }

  /**
   * Makes every later call fail with {@link HeartbeatStoreException} and closes the HikariCP
   * pool of a store opened by URI; a user's DataSource is left alone. Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      jdbc.close();
      if (signals != null) {
        signals.close();
      }
      source.close();
      afterClose.run();
    }
  }

  /** How many transactions were run again after losing a race (for tests). */
  long racesLost() {
    return jdbc.racesLost();
  }

  /** For tests: runs SQL on this store's connections (even after close). */
  <T> T withConnection(Jdbc.Work<T> work) {
    return new Jdbc(description, source, "").call("test", work);
  }

  /** For tests: store operations running now. */
  int runningCalls() {
    return jdbc.running();
  }
}
