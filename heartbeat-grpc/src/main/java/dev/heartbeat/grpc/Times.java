package dev.heartbeat.grpc;

import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Instants and durations to and from their protobuf well-known types. */
final class Times {
  private Times() {}

  static Timestamp of(Instant at) {
    return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
  }

  static Instant instant(Timestamp at) {
    return Instant.ofEpochSecond(at.getSeconds(), at.getNanos());
  }

  static com.google.protobuf.Duration of(Duration d) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds())
        .setNanos(d.getNano()).build();
  }

  static Duration duration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  /** The duration, or empty when the message does not carry it. */
  static Optional<Duration> duration(boolean present, com.google.protobuf.Duration d) {
    return present ? Optional.of(duration(d)) : Optional.empty();
  }

  /** The instant, or empty when the message does not carry it. */
  static Optional<Instant> instant(boolean present, Timestamp at) {
    return present ? Optional.of(instant(at)) : Optional.empty();
  }

  /** A required duration argument: a null is refused naming the parameter. */
  static com.google.protobuf.Duration required(String name, Duration d) {
    if (d == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return of(d);
  }

  /** A required text argument: a null is refused naming the parameter (protobuf has no null). */
  static String required(String name, String value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }

  /** A required argument: a null is refused naming the parameter, as the SPI's stores do. */
  static <T> T notNull(String name, T value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }
}
