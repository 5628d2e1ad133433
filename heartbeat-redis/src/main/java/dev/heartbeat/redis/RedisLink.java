package dev.heartbeat.redis;

import dev.heartbeat.HeartbeatStoreException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The store's connections to Redis or Redis Cluster: one shared, thread-safe connection for every
 * single call, one for single lease writes when the store waits for replicas (each followed by
 * {@code WAIT}, which blocks that connection while it waits, so beats and reads never queue behind
 * it), and one more for pipelined batches (guarded by a lock; on a single server with
 * auto-flush off, written in one flush; on a cluster written as issued, because Lettuce does not
 * flush a node connection that was still opening when the flush came, lettuce#2420, and such a
 * batch never got its answers). Every wait is bounded by the command timeout; every failure becomes a
 * {@link HeartbeatStoreException} naming the operation.
 */
final class RedisLink implements AutoCloseable {
  private final AbstractRedisClient client;
  private final boolean ownsClient;
  private final String store;
  private final Duration timeout;
  private final Conn main;
  private final Replicas replicas;
  private final Conn writes;
  private final ReentrantLock batchLock = new ReentrantLock();
  private Conn batch;

  /** A connection and its async commands, whichever kind of client made it. */
  record Conn(StatefulConnection<String, String> connection,
      RedisClusterAsyncCommands<String, String> commands) {}

  RedisLink(AbstractRedisClient client, boolean ownsClient, String store, Duration timeout,
      Replicas replicas) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.store = store;
    this.timeout = timeout;
    this.replicas = replicas;
    Conn opened = null;
    try {
      opened = connect();
      this.main = opened;
      this.writes = replicas.waiting() ? connect() : main;
    } catch (RuntimeException e) {
      if (opened != null) {
        opened.connection().close();
      }
      if (ownsClient) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
      HeartbeatStoreException failure = new HeartbeatStoreException(store, "connect", reason(e));
      failure.initCause(e);
      throw failure;
    }
  }

  /**
   * What went wrong, with the server's own words: Lettuce says "Unable to connect" and keeps the
   * reason (a refused {@code SELECT}, {@code AUTH}, ...) in its causes.
   */
  static String reason(Throwable e) {
    Throwable root = e;
    for (int depth = 0; depth < 10 && root.getCause() != null && root.getCause() != root; depth++) {
      root = root.getCause();
    }
    String outer = e.getClass().getSimpleName() + ": " + e.getMessage();
    return root == e || root.getMessage() == null ? outer : outer + ": " + root.getMessage();
  }

  String describe() {
    return store;
  }

  /** The store's client, for a connection of another kind (pub/sub for task signals). */
  AbstractRedisClient client() {
    return client;
  }

  boolean cluster() {
    return client instanceof RedisClusterClient;
  }

  RedisClusterAsyncCommands<String, String> commands() {
    return main.commands();
  }

  /** A new connection of the store's client, for a caller that blocks on it (the feed). */
  Conn connect() {
    if (client instanceof RedisClusterClient c) {
      StatefulRedisClusterConnection<String, String> conn = c.connect();
      return new Conn(conn, conn.async());
    }
    StatefulRedisConnection<String, String> conn = ((RedisClient) client).connect();
    return new Conn(conn, conn.async());
  }

  /** Runs a script on the shared connection: {@code EVALSHA}, falling back to {@code EVAL}. */
  <T> T script(Script script, String operation, String[] keys, String... args) {
    return await(evalsha(main.commands(), script, keys, args), operation, () ->
        main.commands().<T>eval(script.body(), type(script), keys, args));
  }

  /** What a lease write answered, and how many replicas acknowledged it (0 when not waiting). */
  record Written<T>(T value, long acknowledged) {}

  Replicas replicas() {
    return replicas;
  }

  /**
   * Runs a lease write. Not waiting for replicas: exactly {@link #script}. Waiting: the script
   * and {@code WAIT} are sent back to back on the write connection (one round trip; {@code WAIT}
   * covers every earlier write of that connection), and both answers awaited. The caller judges
   * the count with {@link Replicas#check} once it knows the script wrote something it acts on.
   */
  <T> Written<T> write(Script script, String operation, String[] keys, String... args) {
    if (!replicas.waiting()) {
      return new Written<>(script(script, operation, keys, args), 0);
    }
    try {
      return waited(evalsha(writes.commands(), script, keys, args), operation);
    } catch (HeartbeatStoreException e) {
      if (!(e.getCause() instanceof RedisNoScriptException)) {
        throw e;
      }
      // a server that lost its script cache; while replicas lag, its WAIT blocked too (Redis
      // waits even after a command that wrote nothing), so this first call takes two timeouts
      return writeLoading(script, operation, keys, args);
    }
  }

  /** Like {@link #write} but with {@code EVAL}, which also loads the script: after a NOSCRIPT. */
  <T> Written<T> writeLoading(Script script, String operation, String[] keys, String... args) {
    if (!replicas.waiting()) {
      return new Written<>(script(script, operation, keys, args), 0); // as without replicas
    }
    return waited(writes.commands().eval(script.body(), type(script), keys, args), operation);
  }

  /** Sends {@code WAIT} right behind the script {@code sent} on the write connection; awaits both. */
  private <T> Written<T> waited(RedisFuture<T> sent, String operation) {
    RedisFuture<Long> acked = writes.commands().waitForReplication(replicas.count(),
        replicas.timeoutMillis());
    return new Written<>(await(sent, operation), await(acked, operation));
  }

  /** The commands of the write connection ({@link #commands} when not waiting for replicas). */
  RedisClusterAsyncCommands<String, String> writeCommands() {
    return writes.commands();
  }

  <T> RedisFuture<T> evalsha(RedisClusterAsyncCommands<String, String> commands, Script script,
      String[] keys, String... args) {
    return commands.evalsha(script.sha(), type(script), keys, args);
  }

  private static ScriptOutputType type(Script script) {
    return script.output();
  }

  /** Waits for {@code future} within the command timeout. */
  <T> T await(RedisFuture<T> future, String operation) {
    return await(future, operation, null);
  }

  private <T> T await(RedisFuture<T> future, String operation,
      java.util.function.Supplier<RedisFuture<T>> onNoScript) {
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (onNoScript != null && e.getCause() instanceof RedisNoScriptException) {
        return await(onNoScript.get(), operation, null);
      }
      throw new HeartbeatStoreException(store, operation, e.getCause());
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new HeartbeatStoreException(store, operation, "no answer within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HeartbeatStoreException(store, operation, e);
    } catch (RuntimeException e) {
      throw new HeartbeatStoreException(store, operation, e);
    }
  }

  /**
   * Sends every command that {@code body} issues on the batch connection (in one flush on a
   * single server) and waits for all of them. Script calls that met {@code NOSCRIPT} are not retried here: the caller
   * checks {@link #noScript} and repeats them through {@link #script}.
   */
  <T> List<Result<T>> batch(String operation,
      Function<RedisClusterAsyncCommands<String, String>, List<RedisFuture<T>>> body) {
    return batch(operation, body, false).results();
  }

  /**
   * Like {@link #batch}, for lease writes: when waiting for replicas, one {@code WAIT} closes
   * the flush (it covers every script before it on the batch connection) and its count comes
   * back with the answers; 0 when not waiting.
   */
  <T> Batch<T> writeBatch(String operation,
      Function<RedisClusterAsyncCommands<String, String>, List<RedisFuture<T>>> body) {
    return batch(operation, body, replicas.waiting());
  }

  /** The answers of a batch, and how many replicas acknowledged it (0 when not waiting). */
  record Batch<T>(List<Result<T>> results, long acknowledged) {}

  private <T> Batch<T> batch(String operation,
      Function<RedisClusterAsyncCommands<String, String>, List<RedisFuture<T>>> body,
      boolean wait) {
    batchLock.lock();
    try {
      if (batch == null) {
        batch = connect();
        batch.connection().setAutoFlushCommands(cluster());
      }
      List<RedisFuture<T>> futures = body.apply(batch.commands());
      RedisFuture<Long> acked = wait
          ? batch.commands().waitForReplication(replicas.count(), replicas.timeoutMillis()) : null;
      batch.connection().flushCommands();
      long deadline = System.nanoTime() + timeout.toNanos();
      List<Result<T>> out = new ArrayList<>(futures.size());
      try {
        for (RedisFuture<T> f : futures) {
          out.add(outcome(f, deadline, operation));
        }
      } catch (RuntimeException e) {
        futures.forEach(f -> f.cancel(true)); // nothing of a failed batch runs later
        throw e;
      }
      return new Batch<>(out, acked == null ? 0 : outcome(acked, deadline, operation).value());
    } catch (RuntimeException e) {
      throw e instanceof HeartbeatStoreException h ? h : new HeartbeatStoreException(store, operation, e);
    } finally {
      batchLock.unlock();
    }
  }

  /** One answer of a batch: a value, or a {@code NOSCRIPT} to repeat. */
  record Result<T>(T value, boolean noScript) {}

  private <T> Result<T> outcome(RedisFuture<T> f, long deadline, String operation) {
    try {
      return new Result<>(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS), false);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RedisNoScriptException) {
        return new Result<>(null, true);
      }
      throw new HeartbeatStoreException(store, operation, e.getCause());
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new HeartbeatStoreException(store, operation, "no answer within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HeartbeatStoreException(store, operation, e);
    }
  }

  @Override
  public void close() {
    batchLock.lock();
    try {
      if (batch != null) {
        batch.connection().close();
      }
    } finally {
      batchLock.unlock();
    }
    if (writes != main) {
      writes.connection().close();
    }
    main.connection().close();
    if (ownsClient) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
