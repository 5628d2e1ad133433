package dev.heartbeat.redis;

import dev.heartbeat.StoreNotFoundException;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;

/**
 * The checks of a prefix's keys when a store opens: one that must exist (opened to read) and one
 * that must be fresh ({@code freshPrefixWithoutQuarantine}). Whether any key of the prefix exists
 * is first asked of the well-known keys in one {@code EXISTS}, then, only when none of them is
 * there, of a {@code SCAN} of the keyspace (of every master in a cluster) for any other key of
 * the prefix (a lease's fencing counter, an epoch marker of a cluster slot). Never on the path of
 * a lease or a beat.
 */
final class PrefixKeys {
  private static final int COUNT = 1000;
  /** A bound on the scan: 10^5 pages of 1000 keys. */
  private static final int MAX_PAGES = 100_000;

  private PrefixKeys() {}

  /**
   * For a store opened to read: throws unless a key of the prefix exists.
   *
   * @throws StoreNotFoundException naming the prefix
   */
  static void requireUsed(Context ctx) {
    if (!used(ctx, "open")) {
      throw new StoreNotFoundException(ctx.describe(), "no key of prefix '" + ctx.keys().prefix()
          + "'");
    }
  }

  /**
   * For {@link RedisStoreBuilder#freshPrefixWithoutQuarantine}: throws when the prefix has any
   * key, else creates its epoch markers with their quarantine over.
   *
   * @throws IllegalStateException naming the prefix
   */
  static void startFresh(Context ctx) {
    if (used(ctx, "open")) {
      throw new IllegalStateException("freshPrefixWithoutQuarantine: keyPrefix '"
          + ctx.keys().prefix() + "' already has keys on " + ctx.describe() + "; the option is only"
          + " for a prefix that was never used (one whose data was lost looks the same, and needs"
          + " its quarantine): drop the option or choose a new prefix");
    }
    markFresh(ctx);
  }

  /**
   * Creates every epoch marker of the store with its quarantine already over (pipelined: one on
   * a single server, 16,384 in a cluster), for a prefix without any key.
   */
  private static void markFresh(Context ctx) {
    ctx.link().await(ctx.link().commands().scriptLoad(Script.FRESH.body()), "open"); // every node
    java.util.List<String> markers = ctx.keys().epochs();
    for (int from = 0; from < markers.size(); from += COUNT) {
      java.util.List<String> chunk = markers.subList(from, Math.min(markers.size(), from + COUNT));
      java.util.List<RedisLink.Result<Long>> answers = ctx.link().batch("open", c -> {
        java.util.List<io.lettuce.core.RedisFuture<Long>> futures = new java.util.ArrayList<>();
        for (String marker : chunk) {
          futures.add(ctx.link().evalsha(c, Script.FRESH, new String[] {marker}, ctx.offsetMillis()));
        }
        return futures;
      });
      for (int i = 0; i < answers.size(); i++) {
        if (answers.get(i).noScript()) { // a node that lost its scripts meanwhile
          ctx.link().script(Script.FRESH, "open", new String[] {chunk.get(i)}, ctx.offsetMillis());
        }
      }
    }
  }

  private static boolean used(Context ctx, String operation) {
    Keys k = ctx.keys();
    String[] known = ctx.link().cluster()
        ? new String[] {k.agents(), k.leases(), k.feed()}
        : new String[] {k.agents(), k.leases(), k.feed(), k.epoch("")};
    if (ctx.link().await(ctx.link().commands().exists(known), operation) > 0) {
      return true;
    }
    ScanCursor cursor = ScanCursor.INITIAL;
    ScanArgs args = ScanArgs.Builder.matches(k.pattern()).limit(COUNT);
    for (int page = 0; page < MAX_PAGES && !cursor.isFinished(); page++) {
      KeyScanCursor<String> keys = ctx.link().await(ctx.link().commands().scan(cursor, args),
          operation);
      if (keys.getKeys().stream().anyMatch(k::ours)) {
        return true;
      }
      cursor = keys;
    }
    return false;
  }
}
