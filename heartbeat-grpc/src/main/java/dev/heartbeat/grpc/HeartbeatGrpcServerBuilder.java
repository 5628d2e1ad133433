package dev.heartbeat.grpc;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.StallDetector;
import dev.heartbeat.spi.HeartbeatStore;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Configures and starts a {@link HeartbeatGrpcServer}: where it listens, the detector
 * {@code Watch} streams, an optional bearer token, TLS from PEM files, and the keepalive policy.
 * Not thread-safe; {@link #start()} may be called more than once.
 */
public final class HeartbeatGrpcServerBuilder {
  /** The most calls in flight at once, streams included, unless set otherwise. */
  public static final int DEFAULT_MAX_CALLS = 20_000;

  /** How often a client may ping when nothing else is sent, unless set otherwise. */
  public static final Duration DEFAULT_PERMIT_KEEPALIVE_TIME = Duration.ofSeconds(10);

  private final HeartbeatStore store;
  private String host = "127.0.0.1";
  private int port;
  private Optional<StallDetector> detector = Optional.empty();
  private String token;
  private Path certChain;
  private Path privateKey;
  private Duration permitKeepAliveTime = DEFAULT_PERMIT_KEEPALIVE_TIME;
  private int maxCalls = DEFAULT_MAX_CALLS;
  private int maxBeatBatch = BeatBatcher.DEFAULT_MAX_BATCH;
  private int maxBeatsWaiting = BeatBatcher.DEFAULT_MAX_WAITING;
  private int watchBuffer = WatchStream.MAX_WAITING;

  HeartbeatGrpcServerBuilder(HeartbeatStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * The address to listen on.
   *
   * @param host such as {@code 127.0.0.1} (the default) or {@code 0.0.0.0}
   * @return this builder
   */
  public HeartbeatGrpcServerBuilder bind(String host) {
    this.host = Times.notNull("host", host);
    return this;
  }

  /**
   * The port to listen on.
   *
   * @param port the port, or 0 (the default) for any free one
   * @return this builder
   * @throws IllegalArgumentException when the port is outside 0..65535
   */
  public HeartbeatGrpcServerBuilder port(int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be within 0..65535, got " + port);
    }
    this.port = port;
    return this;
  }

  /**
   * The stall detector whose changes {@code Watch} streams and whose view of an agent each
   * beat's answer carries; without one {@code Watch} is refused.
   *
   * @param detector the detector
   * @return this builder
   */
  public HeartbeatGrpcServerBuilder detector(StallDetector detector) {
    this.detector = Optional.of(Times.notNull("detector", detector));
    return this;
  }

  /**
   * Requires {@code authorization: Bearer <token>} on every call but the health service's.
   *
   * @param token the token, printable ASCII without spaces
   * @return this builder
   * @throws IllegalArgumentException when the token is empty or not printable ASCII (the
   *     message does not show it)
   */
  public HeartbeatGrpcServerBuilder token(String token) {
    this.token = BearerAuth.checked(token);
    return this;
  }

  /**
   * Serves TLS with this certificate chain and private key.
   *
   * @param certChain a PEM file of the server's certificate, then any intermediates
   * @param privateKey a PEM file of its private key (PKCS#8, unencrypted)
   * @return this builder
   * @throws IllegalArgumentException when either file is not a readable file
   */
  public HeartbeatGrpcServerBuilder tls(Path certChain, Path privateKey) {
    this.certChain = readable("certChain", certChain);
    this.privateKey = readable("privateKey", privateKey);
    return this;
  }

  static Path readable(String name, Path file) {
    Times.notNull(name, file);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(name + " must be a readable file, got " + file);
    }
    return file;
  }

  /**
   * The keepalive policy: a client may ping once per {@code interval}, with or without calls in
   * flight; one that pings more often is sent {@code GOAWAY too_many_pings}. Clients must ping
   * no more often ({@link GrpcStore} pings every 30 s unless told otherwise).
   *
   * @param interval the shortest interval between pings allowed, positive
   * @return this builder
   * @throws IllegalArgumentException when the interval is not positive
   */
  public HeartbeatGrpcServerBuilder permitKeepAliveTime(Duration interval) {
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("permitKeepAliveTime must be positive, got " + interval);
    }
    this.permitKeepAliveTime = interval;
    return this;
  }

  /**
   * The most calls the server holds in flight at once, streams included (an agent's
   * {@code BeatStream} is one for as long as it beats), over all connections; one more is refused
   * at once with {@code RESOURCE_EXHAUSTED}. Calls run on virtual threads, so this also bounds
   * the server's threads.
   *
   * @param max at least 1; default {@value #DEFAULT_MAX_CALLS}
   * @return this builder
   * @throws IllegalArgumentException when {@code max} is below 1
   */
  public HeartbeatGrpcServerBuilder maxCalls(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("maxCalls must be at least 1, got " + max);
    }
    this.maxCalls = max;
    return this;
  }

  /** The bounds of the group commit of beats (see {@link BeatBatcher}); for tests. */
  HeartbeatGrpcServerBuilder beatBatching(int maxBatch, int maxWaiting) {
    this.maxBeatBatch = maxBatch;
    this.maxBeatsWaiting = maxWaiting;
    return this;
  }

  /** The most agents whose changes wait for one slow watcher (see {@link WatchStream}); tests. */
  HeartbeatGrpcServerBuilder watchBuffer(int maxWaiting) {
    this.watchBuffer = maxWaiting;
    return this;
  }

  /**
   * Starts the server.
   *
   * @return the running server, which the caller closes
   * @throws IllegalArgumentException when the certificate or key cannot be read as PEM
   * @throws HeartbeatStoreException when the port cannot be bound
   */
  public HeartbeatGrpcServer start() {
    Health health = new Health(store);
    BeatBatcher beats = new BeatBatcher(store, maxBeatBatch, maxBeatsWaiting,
        BeatBatcher.DEFAULT_WRITERS);
    StoreService service = new StoreService(store, detector, beats, watchBuffer);
    CallLimit limit = new CallLimit(maxCalls);
    NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
        // interceptors run last-added first: the token is checked before a call counts
        .addService(token == null ? ServerInterceptors.intercept(service, limit)
            : ServerInterceptors.intercept(service, limit, new BearerAuth(token)))
        .addService(health)
        .permitKeepAliveTime(permitKeepAliveTime.toNanos(), TimeUnit.NANOSECONDS)
        .permitKeepAliveWithoutCalls(true)
        // bounds: the calls in flight on one connection, the size of one message
        .maxConcurrentCallsPerConnection(HeartbeatGrpcServer.MAX_CALLS_PER_CONNECTION)
        .maxInboundMessageSize(16 * 1024 * 1024);
    if (certChain != null) {
      try {
        b.useTransportSecurity(certChain.toFile(), privateKey.toFile());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("certChain " + certChain + " and privateKey "
            + privateKey + " must be a PEM certificate chain and its PKCS#8 key: " + e, e);
      }
    }
    // a virtual thread per task: the calls are bounded by the limit, each runs one at a time
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    b.executor(executor);
    Server server;
    try {
      server = b.build().start();
    } catch (IOException e) {
      executor.shutdown();
      beats.close();
      throw new HeartbeatStoreException(scheme() + "://" + host + ":" + port, "start", e);
    } catch (IllegalArgumentException e) {
      executor.shutdown();
      beats.close();
      if (certChain == null) {
        throw e;
      }
      throw new IllegalArgumentException("certChain " + certChain + " and privateKey "
          + privateKey + " must be a PEM certificate chain and its PKCS#8 key: "
          + e.getMessage(), e);
    }
    return new HeartbeatGrpcServer(server, host, scheme(), health, executor, beats);
  }

  private String scheme() {
    return certChain == null ? "grpc" : "grpcs";
  }
}
