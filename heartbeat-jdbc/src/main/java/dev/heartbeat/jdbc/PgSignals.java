package dev.heartbeat.jdbc;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.TaskSignalHub;
import dev.heartbeat.spi.TaskSignals;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's task signals: submit, retry and an end back to {@code INBOX} call
 * {@code pg_notify(channel, queue)} in their own transaction, so a signal leaves with the commit
 * and never for a write that rolled back. One connection of the store's, taken for as long as
 * the store listens, runs {@code LISTEN} and waits for notifications on a virtual thread (PgJDBC's
 * {@code PGConnection.getNotifications(timeout)}, reached by reflection: the driver is the
 * user's). When the connection fails it is given back as broken and made again with backoff
 * (100 ms doubling to 5 s), logged once when it is lost and once when it listens again; after
 * that every queue listened to is signalled once, since a notification may have been missed.
 * Notifications a pooled connection carried from an earlier listener are dropped before it
 * listens, and it runs {@code UNLISTEN *} before it goes back.
 * The channel is {@code heartbeat_<prefix>tasks}, or a hash of the prefix where that is longer
 * than PostgreSQL's 63-byte identifiers.
 */
final class PgSignals implements TaskSignals, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PgSignals.class);
  private static final int WAIT_MS = 250;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final String store;
  private final ConnectionSource source;
  private final String channel;
  private final Duration listenTimeout;
  private final TaskSignalHub hub;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private Thread listener; // guarded by lock
  private boolean listening; // guarded by lock
  private boolean closed; // guarded by lock
  private volatile int backend; // the listening server process (for tests)

  PgSignals(String store, ConnectionSource source, String prefix, Duration listenTimeout) {
    this.store = store;
    this.source = source;
    this.channel = channel(prefix);
    this.listenTimeout = listenTimeout;
    this.hub = new TaskSignalHub(store);
  }

  /** The channel of a table prefix: an identifier of at most 63 bytes. */
  static String channel(String prefix) {
    String plain = "heartbeat_" + prefix.toLowerCase(Locale.ROOT) + "tasks";
    if (plain.getBytes(StandardCharsets.UTF_8).length <= 63) {
      return plain;
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(prefix.getBytes(StandardCharsets.UTF_8));
      return "heartbeat_" + HexFormat.of().formatHex(hash, 0, 16) + "_tasks";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  String channel() {
    return channel;
  }

  /** The server process that listens now, or the last one (0 before the first). */
  int backendPid() {
    return backend;
  }

  @Override
  public Subscription subscribe(String queue, Runnable listener) {
    Checks.id("queue", queue);
    Checks.notNull("listener", listener);
    awaitListening();
    return hub.subscribe(queue, listener);
  }

  /** Starts the listening thread if need be and waits, bounded, until it listens. */
  private void awaitListening() {
    lock.lock();
    try {
      if (closed) {
        throw new HeartbeatStoreException(store, "signals.subscribe", "the store is closed");
      }
      if (listener == null) {
        listener = Thread.ofVirtual().name("heartbeat-pg-signals").start(this::run);
      }
      long left = listenTimeout.toNanos();
      while (!listening && !closed && left > 0) {
        left = changed.awaitNanos(left);
      }
      if (!listening) {
        throw new HeartbeatStoreException(store, "signals.subscribe", "not listening on channel "
            + channel + " within " + listenTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HeartbeatStoreException(store, "signals.subscribe", "interrupted");
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    Duration backoff = FIRST_BACKOFF;
    boolean lost = false;
    while (!isClosed()) {
      Connection c = null;
      boolean broken = true; // always: a pooled connection must not go on listening
      try {
        c = source.borrow();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN \"" + channel + "\"");
        }
        ClassLoader driver = c.getClass().getClassLoader();
        Class<?> pgType = Class.forName("org.postgresql.PGConnection", true, driver);
        Object pg = c.unwrap(pgType);
        Method poll = pgType.getMethod("getNotifications", int.class);
        Method parameter = Class.forName("org.postgresql.PGNotification", true,
            pg.getClass().getClassLoader()).getMethod("getParameter");
        // a pooled connection may carry notifications of an earlier listener (a user's pool
        // reuses connections): a query reads them in, and they are dropped before anyone listens
        try (Statement s = c.createStatement();
            java.sql.ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
          rs.next();
          backend = rs.getInt(1);
        }
        pgType.getMethod("getNotifications").invoke(pg);
        setListening(true);
        if (lost) {
          LOG.info("{}: listening for task signals again on {}", store, channel);
          lost = false;
          hub.queues().forEach(hub::signal); // a notification may have been missed meanwhile
        }
        backoff = FIRST_BACKOFF;
        while (!isClosed()) {
          deliver(poll.invoke(pg, WAIT_MS), parameter);
        }
      } catch (SQLException | ReflectiveOperationException
          | RuntimeException e) {
        Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
        setListening(false);
        if (isClosed()) {
          break;
        }
        if (!lost) {
          lost = true;
          LOG.warn("{}: task signals lost (workers poll meanwhile); listening again: {}", store,
              String.valueOf(cause));
        }
      } finally {
        if (c != null) {
          unlisten(c);
          source.giveBack(c, broken);
        }
      }
      if (!isClosed()) {
        sleep(backoff);
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF
            : backoff.multipliedBy(2);
      }
    }
    setListening(false);
  }

  /** Signals the queue each notification names (an array of PGNotification, or null). */
  private void deliver(Object notifications, Method parameter)
      throws ReflectiveOperationException {
    if (notifications == null) {
      return;
    }
    for (int i = 0; i < Array.getLength(notifications); i++) {
      hub.signal(String.valueOf(parameter.invoke(Array.get(notifications, i))));
    }
  }

  /** Best effort: a connection going back to a user's pool stops listening. */
  private static void unlisten(Connection c) {
    try (Statement s = c.createStatement()) {
      s.execute("UNLISTEN *");
    } catch (SQLException | RuntimeException e) {
      // a broken connection: the pool closes it
    }
  }

  private void setListening(boolean now) {
    lock.lock();
    try {
      listening = now;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  private void sleep(Duration d) {
    lock.lock();
    try {
      long left = d.toNanos();
      while (!closed && left > 0) {
        left = changed.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /** Stops listening and gives the connection back; waits for the thread, bounded. */
  @Override
  public void close() {
    Thread t;
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
      t = listener;
    } finally {
      lock.unlock();
    }
    if (t != null) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(2) + WAIT_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
