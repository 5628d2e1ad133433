package dev.heartbeat.redis;

import io.lettuce.core.StreamMessage;
import java.util.List;

/** Where a {@link RedisHeartbeatFeed} reads the feed stream: a consumer group, or its tail. */
interface FeedReader {

  /** Called before reading, again after every failure: set up what reading needs. */
  void prepare();

  /** The entries to deliver first (after a start or a failure), empty when none are left. */
  List<StreamMessage<String, String>> backlog();

  /** The next new entries, waiting a short bounded time for them; may be empty. */
  List<StreamMessage<String, String>> next();

  /** Called after an entry was handed to the listener (or skipped as unreadable). */
  void delivered(StreamMessage<String, String> entry);

  /** What the feed is, for logs and thread names. */
  String name();

  /**
   * Whether the feed may hand over only the newest beat of each agent of a round (best-effort
   * feeds), rather than every entry (a consumer group delivers each at least once).
   */
  default boolean coalesces() {
    return false;
  }

  /** More entries at once, without waiting: empty when the reader has caught up. */
  default List<StreamMessage<String, String>> more() {
    return List.of();
  }
}
