package dev.heartbeat.grpc;

import dev.heartbeat.grpc.health.v1.HealthGrpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Lets a call through only with the metadata {@code authorization: Bearer <token>} of the
 * server's token; any other is closed {@code UNAUTHENTICATED} with a message that says what is
 * missing or wrong and never repeats a token. The health service stays open to all, so that a
 * probe needs no secret. Tokens are compared by their SHA-256 digests, in constant time.
 */
final class BearerAuth implements ServerInterceptor {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "Bearer ";

  private final byte[] expected;

  BearerAuth(String token) {
    this.expected = digest(checked(token));
  }

  /** {@code token} when it can travel as a bearer token; otherwise a message without it. */
  static String checked(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("token must not be empty");
    }
    if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("token must be printable ASCII without spaces "
          + "(its " + token.length() + " characters are not shown)");
    }
    return token;
  }

  /** The header value a client sends. */
  static String header(String token) {
    return BEARER + checked(token);
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    if (HealthGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    String problem = problem(headers.get(AUTHORIZATION));
    if (problem != null) {
      call.close(Status.UNAUTHENTICATED.withDescription(problem), new Metadata());
      return new ServerCall.Listener<>() { };
    }
    return next.startCall(call, headers);
  }

  private String problem(String value) {
    if (value == null) {
      return "the authorization metadata is missing: this server takes "
          + "'authorization: Bearer <token>'";
    }
    if (!value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return "the authorization metadata is not a bearer token: this server takes "
          + "'authorization: Bearer <token>'";
    }
    if (!MessageDigest.isEqual(expected, digest(value.substring(BEARER.length()).trim()))) {
      return "the bearer token is not this server's";
    }
    return null;
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
