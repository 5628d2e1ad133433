package dev.heartbeat.grpc;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.StallDetector;
import dev.heartbeat.spi.HeartbeatStore;
import io.grpc.Server;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Serves a {@link HeartbeatStore} (any store) as {@code heartbeat.v1.HeartbeatService} over gRPC,
 * so that agents in any language beat, hold leases and run tasks on it, and JVM processes open it
 * as the {@code grpc://host:port} store. Bad input is answered {@code INVALID_ARGUMENT} with a
 * message naming the field, a failing store {@code UNAVAILABLE}, a call without the token (when
 * the server has one) {@code UNAUTHENTICATED}. It also serves the standard
 * {@code grpc.health.v1.Health} service, open without a token.
 *
 * <p>The beats of {@code Beat} and {@code BeatStream} calls are written by group commit: beats
 * that arrive while a batch is being written go to the store together in one
 * {@link HeartbeatStore#recordAll}, each call answered for its own beat; a full queue of waiting
 * beats is answered {@code RESOURCE_EXHAUSTED}. A {@code Watch} client that does not keep up gets
 * the latest change per agent once it reads again, marked {@code coalesced}.
 *
 * <p>The caller keeps the store: closing the server does not close it.
 */
public final class HeartbeatGrpcServer implements AutoCloseable {
  /** How long {@link #close()} lets running calls finish before it cancels them. */
  static final Duration GRACE = Duration.ofSeconds(5);

  /** The most calls (streams included) one client connection has in flight. */
  static final int MAX_CALLS_PER_CONNECTION = 1_000;

  private final Server server;
  private final String host;
  private final String scheme;
  private final Health health;
  private final ExecutorService executor;
  private final BeatBatcher beats;

  HeartbeatGrpcServer(Server server, String host, String scheme, Health health,
      ExecutorService executor, BeatBatcher beats) {
    this.server = server;
    this.host = host;
    this.scheme = scheme;
    this.health = health;
    this.executor = executor;
    this.beats = beats;
  }

  /** How many beats wait for the store's next batch; for tests. */
  int beatsWaiting() {
    return beats.waiting();
  }

  /**
   * A builder for a server of {@code store}: bind address, port, detector, token, TLS, keepalive.
   *
   * @param store the store to serve
   * @return a builder listening on {@code 127.0.0.1}, any free port, in plaintext, without a token
   */
  public static HeartbeatGrpcServerBuilder builder(HeartbeatStore store) {
    return new HeartbeatGrpcServerBuilder(store);
  }

  /**
   * Starts a server for {@code store} on {@code 127.0.0.1}, without a stall detector
   * ({@code Watch} is then refused).
   *
   * @param store the store to serve
   * @param port the port, or 0 for any free one (see {@link #port()})
   * @return the running server
   * @throws HeartbeatStoreException when the port cannot be bound
   */
  public static HeartbeatGrpcServer start(HeartbeatStore store, int port) {
    return builder(store).port(port).start();
  }

  /**
   * Starts a server for {@code store} on {@code host:port}.
   *
   * @param store the store to serve
   * @param host the address to listen on, such as {@code 127.0.0.1} or {@code 0.0.0.0}
   * @param port the port, or 0 for any free one (see {@link #port()})
   * @param detector the stall detector whose changes {@code Watch} streams, and whose view of an
   *     agent each beat's answer carries; empty to refuse {@code Watch}
   * @return the running server
   * @throws IllegalArgumentException when the port is outside 0..65535
   * @throws HeartbeatStoreException when the port cannot be bound
   */
  public static HeartbeatGrpcServer start(HeartbeatStore store, String host, int port,
      Optional<StallDetector> detector) {
    Objects.requireNonNull(detector, "detector");
    HeartbeatGrpcServerBuilder b = builder(store).bind(host).port(port);
    detector.ifPresent(b::detector);
    return b.start();
  }

  /**
   * The port the server listens on (the one chosen when started with port 0).
   *
   * @return the port the server listens on
   */
  public int port() {
    return server.getPort();
  }

  /**
   * The URI a {@code GrpcStore} opens to reach this server, such as
   * {@code grpc://127.0.0.1:50051}, or {@code grpcs://...} when it serves TLS (the token and
   * the trusted certificate are the client's to add).
   *
   * @return the URI of this server as a store
   */
  public String uri() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return scheme + "://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : h) + ":" + port();
  }

  /**
   * Starts a graceful shutdown: from now on the health service answers {@code NOT_SERVING}
   * (and tells its watchers), while every call is still served, so that balancers and probes
   * move agents elsewhere before {@link #close()}. Idempotent.
   */
  public void drain() {
    health.shuttingDown();
  }

  /**
   * {@linkplain #drain() Drains}, stops taking calls, lets running calls finish for a few
   * seconds, then cancels the rest (watch streams among them). Idempotent.
   */
  @Override
  public void close() {
    drain();
    health.endWatches();
    server.shutdown();
    try {
      if (!server.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow().awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      executor.shutdown(); // its tasks are the calls, done or cancelled by now
      beats.close();
    }
  }
}
