package dev.heartbeat.redis;

import io.lettuce.core.cluster.SlotHash;

/**
 * The key layout under one prefix. Every key of one agent starts with the hash tag
 * {@code {prefix:agent:ID}} and every key of one lease with {@code {prefix:lease:NAME}}, so a
 * script touching them stays in one Redis Cluster slot. The registries and the feed stand in
 * slots of their own. Every key of one task queue starts with {@code {prefix:tasks:QUEUE}}. The
 * epoch marker must sit in the slot of the lease it guards: in a cluster
 * it is one marker per slot, tagged with a string that hashes to that slot.
 */
final class Keys {
  private static final int SLOTS = 16384;
  private final String prefix;
  private final boolean cluster;
  private volatile String[] slotTags;

  Keys(String prefix, boolean cluster) {
    this.prefix = prefix;
    this.cluster = cluster;
  }

  String prefix() {
    return prefix;
  }

  String agent(String id) {
    return "{" + prefix + ":agent:" + id + "}";
  }

  String beats(String id) {
    return agent(id) + ":beats";
  }

  String events(String id) {
    return agent(id) + ":events";
  }

  String agents() {
    return prefix + ":agents";
  }

  String lease(String name) {
    return "{" + prefix + ":lease:" + name + "}";
  }

  String fence(String name) {
    return lease(name) + ":fence";
  }

  String leases() {
    return prefix + ":leases";
  }

  String feed() {
    return prefix + ":feed";
  }

  /** The change index: each agent's last change number (single server only). */
  String changes() {
    return prefix + ":changes";
  }

  /**
   * The hash tag that starts every key of task queue {@code queue}: {@code {prefix:tasks:QUEUE}}
   * with {@code %}, <code>{</code> and <code>}</code> of the name escaped as {@code %25},
   * {@code %7B} and {@code %7D}, so that the tag ends where the name ends.
   */
  String queue(String queue) {
    return "{" + prefix + ":tasks:" + queue.replace("%", "%25").replace("{", "%7B")
        .replace("}", "%7D") + "}";
  }

  /**
   * The shard channel of task queue {@code queue}'s signals: under the queue's hash tag, so that
   * on a cluster it lives on the queue's shard and its scripts may publish to it.
   */
  String signal(String queue) {
    return queue(queue) + ":signal";
  }

  /** The epoch marker guarding task queue {@code queue}: in its slot in a cluster. */
  String queueEpoch(String queue) {
    if (!cluster) {
      return prefix + ":epoch";
    }
    return prefix + ":epoch:{" + tags()[SlotHash.getSlot(queue(queue))] + "}";
  }

  /** The epoch marker guarding {@code name}: one per store, or one per slot in a cluster. */
  String epoch(String name) {
    if (!cluster) {
      return prefix + ":epoch";
    }
    return prefix + ":epoch:{" + tags()[SlotHash.getSlot(lease(name))] + "}";
  }

  /** Every epoch marker of the store: one on a single server, one per slot in a cluster. */
  java.util.List<String> epochs() {
    if (!cluster) {
      return java.util.List.of(prefix + ":epoch");
    }
    String[] tags = tags();
    java.util.List<String> out = new java.util.ArrayList<>(tags.length);
    for (String tag : tags) {
      out.add(prefix + ":epoch:{" + tag + "}");
    }
    return out;
  }

  /** Every key of this store matches this pattern (for SCAN). */
  String pattern() {
    String escaped = prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    return "*" + escaped + ":*";
  }

  /**
   * Whether {@code key} is one of this prefix's keys ({@link #pattern} also matches the keys of
   * other prefixes that contain this one).
   */
  boolean ours(String key) {
    return key.startsWith("{" + prefix + ":agent:") || key.startsWith("{" + prefix + ":lease:")
        || key.startsWith("{" + prefix + ":tasks:")
        || key.equals(agents()) || key.equals(leases()) || key.equals(feed())
        || key.startsWith(prefix + ":epoch");
  }

  private String[] tags() {
    String[] tags = slotTags;
    if (tags == null) {
      tags = new String[SLOTS];
      int filled = 0;
      for (long i = 0; filled < SLOTS; i++) {
        String tag = Long.toString(i, 36);
        int slot = SlotHash.getSlot(tag);
        if (tags[slot] == null) {
          tags[slot] = tag;
          filled++;
        }
      }
      slotTags = tags;
    }
    return tags;
  }
}
