package dev.heartbeat.spi;

import dev.heartbeat.Heartbeat;
import java.util.function.Consumer;

/**
 * Stored beats as they happen, from a store that can push them (Redis Streams). Opened by
 * {@link HeartbeatStore#feed()}; one feed per subscriber, closed by that subscriber.
 *
 * <p>Best effort: a feed may miss beats (the detector still polls
 * {@link HeartbeatStore#agents()} as a safety net) and may deliver a beat twice, but it delivers
 * the beats of one agent in the order the store recorded them. The listener is called on a
 * thread of the store's, must not block, and must be thread-safe.
 */
public interface HeartbeatFeed extends AutoCloseable {

  /**
   * Starts delivering every beat recorded from now on (registrations and graceful leaves
   * included) to {@code listener}.
   *
   * @param listener the listener
   * @throws IllegalStateException when this feed already has a listener or is closed
   */
  void subscribe(Consumer<Heartbeat> listener);

  /** Stops delivery and releases the feed's resources. Idempotent. */
  @Override
  void close();
}
