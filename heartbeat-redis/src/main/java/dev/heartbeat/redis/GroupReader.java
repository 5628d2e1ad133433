package dev.heartbeat.redis;

import dev.heartbeat.HeartbeatStoreException;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.models.stream.ClaimedMessages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the feed as one consumer of a consumer group: first its own pending entries, then
 * entries other consumers left pending longer than the claim idle time ({@code XAUTOCLAIM}),
 * then new ones ({@code XREADGROUP >}); acknowledges each after delivery. The group is created
 * at the stream's end when missing, also after the server lost it.
 */
final class GroupReader implements FeedReader {
  static final Duration BLOCK = Duration.ofMillis(500);
  private static final int COUNT = 100;
  private final Context ctx;
  private final RedisLink.Conn conn;
  private final String group;
  private final Consumer<String> consumer;
  private final Duration claimIdle;
  private boolean ownDone;
  private String claimFrom;

  GroupReader(Context ctx, RedisLink.Conn conn, String group, String consumer, Duration claimIdle) {
    this.ctx = ctx;
    this.conn = conn;
    this.group = group;
    this.consumer = Consumer.from(group, consumer);
    this.claimIdle = claimIdle;
  }

  @Override
  public void prepare() {
    try {
      ctx.link().await(conn.commands().xgroupCreate(StreamOffset.latest(ctx.keys().feed()), group,
          XGroupCreateArgs.Builder.mkstream()), op());
    } catch (HeartbeatStoreException e) {
      if (!(e.getCause() instanceof RedisBusyException)) {
        throw e;
      }
    }
    ownDone = false;
    claimFrom = "0-0";
  }

  @Override
  public List<StreamMessage<String, String>> backlog() {
    if (!ownDone) {
      List<StreamMessage<String, String>> own = ctx.link().await(conn.commands().xreadgroup(
          consumer, XReadArgs.Builder.count(COUNT), StreamOffset.from(ctx.keys().feed(), "0")), op());
      if (!own.isEmpty()) {
        return own;
      }
      ownDone = true;
    }
    while (claimFrom != null) {
      ClaimedMessages<String, String> claimed = ctx.link().await(conn.commands().xautoclaim(
          ctx.keys().feed(), XAutoClaimArgs.Builder.xautoclaim(consumer, claimIdle, claimFrom)
              .count(COUNT)), op());
      claimFrom = "0-0".equals(claimed.getId()) ? null : claimed.getId();
      if (!claimed.getMessages().isEmpty()) {
        return new ArrayList<>(claimed.getMessages());
      }
    }
    return List.of();
  }

  @Override
  public List<StreamMessage<String, String>> next() {
    return ctx.link().await(conn.commands().xreadgroup(consumer,
        XReadArgs.Builder.count(COUNT).block(BLOCK), StreamOffset.lastConsumed(ctx.keys().feed())), op());
  }

  @Override
  public void delivered(StreamMessage<String, String> entry) {
    ctx.link().await(conn.commands().xack(ctx.keys().feed(), group, entry.getId()), op());
  }

  @Override
  public String name() {
    return group + "-" + consumer.getName();
  }

  private String op() {
    return "feed(" + group + ")";
  }
}
