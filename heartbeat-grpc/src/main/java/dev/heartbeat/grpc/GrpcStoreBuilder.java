package dev.heartbeat.grpc;

import dev.heartbeat.HeartbeatStoreException;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Configures and opens a {@link GrpcStore}: the deadline of each call, a bearer token, TLS (with
 * the certificate to trust) and the keepalive interval. The token is sent as
 * {@code authorization: Bearer <token>} metadata and shown nowhere: not in
 * {@link GrpcStore#describe()}, not in any message. Not thread-safe.
 */
public final class GrpcStoreBuilder {
  /** How often an idle connection is pinged unless set otherwise: 3 times what servers permit. */
  public static final Duration DEFAULT_KEEPALIVE_TIME = Duration.ofSeconds(30);

  private final String host;
  private final int port;
  private Duration deadline = GrpcStore.DEFAULT_DEADLINE;
  private String token;
  private boolean tls;
  private Path trustCertificate;
  private Duration keepAliveTime = DEFAULT_KEEPALIVE_TIME;

  GrpcStoreBuilder(String host, int port) {
    Times.notNull("host", host);
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be within 1..65535, got " + port);
    }
    this.host = host;
    this.port = port;
  }

  /**
   * The deadline of every call.
   *
   * @param deadline how long each call may take, positive (5 s unless set)
   * @return this builder
   * @throws IllegalArgumentException when the deadline is not positive
   */
  public GrpcStoreBuilder deadline(Duration deadline) {
    this.deadline = positive("deadline", deadline);
    return this;
  }

  /**
   * Sends {@code authorization: Bearer <token>} with every call.
   *
   * @param token the server's token, printable ASCII without spaces
   * @return this builder
   * @throws IllegalArgumentException when it is empty or not printable ASCII (not shown)
   */
  public GrpcStoreBuilder token(String token) {
    this.token = BearerAuth.checked(token);
    return this;
  }

  /**
   * Speaks TLS, trusting the JDK's default certificate authorities.
   *
   * @return this builder
   */
  public GrpcStoreBuilder tls() {
    this.tls = true;
    return this;
  }

  /**
   * Speaks TLS, trusting the certificates of this PEM file (such as a server's self-signed one);
   * the server's certificate must name the host connected to.
   *
   * @param pem a PEM file of the certificates to trust
   * @return this builder
   * @throws IllegalArgumentException when it is not a readable file
   */
  public GrpcStoreBuilder trustCertificate(Path pem) {
    this.trustCertificate = HeartbeatGrpcServerBuilder.readable("trustCertificate", pem);
    this.tls = true;
    return this;
  }

  /**
   * How often the connection is pinged, with or without calls, to keep it (and its streams)
   * alive through idle periods. It must be no shorter than the server's
   * {@link HeartbeatGrpcServerBuilder#permitKeepAliveTime permitted interval} (10 s unless set
   * there), or the server ends the connection with {@code GOAWAY too_many_pings}. grpc-java
   * rounds anything below 10 s up to 10 s.
   *
   * @param interval the interval, positive (30 s unless set)
   * @return this builder
   * @throws IllegalArgumentException when it is not positive
   */
  public GrpcStoreBuilder keepAliveTime(Duration interval) {
    this.keepAliveTime = positive("keepAliveTime", interval);
    return this;
  }

  private static Duration positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
    return d;
  }

  /**
   * Connects and asks the server what it serves.
   *
   * @return the open store, which the caller closes
   * @throws IllegalArgumentException when the trusted certificate is not PEM
   * @throws HeartbeatStoreException when the server does not answer within the deadline, or
   *     refuses the token
   */
  public GrpcStore connect() {
    NettyChannelBuilder b = NettyChannelBuilder.forAddress(host, port)
        .keepAliveTime(keepAliveTime.toNanos(), TimeUnit.NANOSECONDS).keepAliveWithoutCalls(true)
        .maxInboundMessageSize(16 * 1024 * 1024);
    if (!tls) {
      b.usePlaintext();
    } else if (trustCertificate != null) {
      try {
        b.sslContext(GrpcSslContexts.forClient().trustManager(trustCertificate.toFile()).build());
      } catch (SSLException | IllegalArgumentException e) {
        throw new IllegalArgumentException("trustCertificate must be a PEM file of "
            + "certificates, got " + trustCertificate + ": " + e.getMessage(), e);
      }
    } else {
      b.useTransportSecurity();
    }
    ManagedChannel channel = b.build();
    Channel calls = channel;
    if (token != null) {
      Metadata headers = new Metadata();
      headers.put(BearerAuth.AUTHORIZATION, BearerAuth.header(token));
      calls = ClientInterceptors.intercept(channel,
          MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    String h = host.contains(":") ? "[" + host + "]" : host;
    Remote remote = new Remote(calls, (tls ? "grpcs" : "grpc") + "://" + h + ":" + port,
        deadline, tls);
    return GrpcStore.open(channel, remote);
  }
}
