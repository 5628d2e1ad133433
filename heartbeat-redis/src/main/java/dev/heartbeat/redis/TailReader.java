package dev.heartbeat.redis;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import java.util.List;

/**
 * Reads the feed's tail with plain {@code XREAD}, from the last entry that existed when it was
 * made: every beat from then on, nothing to acknowledge, nothing left behind on the server. Its
 * feed coalesces (see {@link RedisHeartbeatFeed}).
 */
final class TailReader implements FeedReader {
  static final int COUNT = 1000;
  private final Context ctx;
  private final RedisLink.Conn conn;
  private String last;

  TailReader(Context ctx, RedisLink.Conn conn) {
    this.ctx = ctx;
    this.conn = conn;
    List<StreamMessage<String, String>> newest = ctx.link().await(conn.commands().xrevrange(
        ctx.keys().feed(), Range.create("-", "+"), Limit.from(1)), "feed()");
    this.last = newest.isEmpty() ? "0-0" : newest.get(0).getId();
  }

  @Override
  public void prepare() {
    // nothing to set up: the tail needs no group
  }

  @Override
  public List<StreamMessage<String, String>> backlog() {
    return List.of();
  }

  @Override
  public List<StreamMessage<String, String>> next() {
    return read(XReadArgs.Builder.count(COUNT).block(GroupReader.BLOCK));
  }

  @Override
  public List<StreamMessage<String, String>> more() {
    return read(XReadArgs.Builder.count(COUNT));
  }

  private List<StreamMessage<String, String>> read(XReadArgs args) {
    List<StreamMessage<String, String>> entries = ctx.link().await(conn.commands().xread(args,
        StreamOffset.from(ctx.keys().feed(), last)), "feed()");
    if (!entries.isEmpty()) {
      last = entries.get(entries.size() - 1).getId();
    }
    return entries;
  }

  @Override
  public boolean coalesces() {
    return true;
  }

  @Override
  public void delivered(StreamMessage<String, String> entry) {
    // nothing to acknowledge
  }

  @Override
  public String name() {
    return "tail";
  }
}
