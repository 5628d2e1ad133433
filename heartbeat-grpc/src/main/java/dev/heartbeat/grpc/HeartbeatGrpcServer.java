package dev.heartbeat.grpc;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.StallDetector;
import dev.heartbeat.spi.HeartbeatStore;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Serves a {@link HeartbeatStore} (any store) as {@code heartbeat.v1.HeartbeatService} over gRPC,
 * so that agents in any language beat, hold leases and run tasks on it, and JVM processes open it
 * as the {@code grpc://host:port} store. Bad input is answered {@code INVALID_ARGUMENT} with the
 * SPI's message, a failing store {@code UNAVAILABLE}.
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

  private HeartbeatGrpcServer(Server server, String host) {
    this.server = server;
    this.host = host;
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
    return start(store, "127.0.0.1", port, Optional.empty());
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
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(detector, "detector");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be within 0..65535, got " + port);
    }
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
        .addService(new StoreService(store, detector))
        // clients ping every 30 s (GrpcStore): allow it, with or without calls, without a GOAWAY
        .permitKeepAliveTime(10, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true)
        // bounds: the calls in flight on one connection, the size of one message
        .maxConcurrentCallsPerConnection(MAX_CALLS_PER_CONNECTION)
        .maxInboundMessageSize(16 * 1024 * 1024)
        .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new HeartbeatStoreException("grpc://" + host + ":" + port, "start", e);
    }
    return new HeartbeatGrpcServer(server, host);
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
   * {@code grpc://127.0.0.1:50051}.
   *
   * @return the URI of this server as a store
   */
  public String uri() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "grpc://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : h) + ":" + port();
  }

  /**
   * Stops taking calls, lets running calls finish for a few seconds, then cancels the rest
   * (watch streams among them). Idempotent.
   */
  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow().awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
