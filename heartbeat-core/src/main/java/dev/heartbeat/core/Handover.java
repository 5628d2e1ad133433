package dev.heartbeat.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The campaigns of this JVM by lease name, so that a leader's release wakes the other candidates
 * for the name on a store of the same description at once, instead of at their next retry. One
 * entry per running campaign, removed when it closes; a candidate woken for a namesake on another
 * store makes one attempt early, nothing worse. Candidates in other processes are not told.
 */
final class Handover {
  private static final ConcurrentHashMap<String, Set<Campaign>> BY_NAME =
      new ConcurrentHashMap<>();

  private Handover() {}

  static void join(Campaign campaign) {
    BY_NAME.computeIfAbsent(campaign.name(), name -> ConcurrentHashMap.newKeySet()).add(campaign);
  }

  static void leave(Campaign campaign) {
    BY_NAME.computeIfPresent(campaign.name(), (name, set) -> {
      set.remove(campaign);
      return set.isEmpty() ? null : set;
    });
  }

  /** {@code from} released its lease: its namesakes on a store like its own try now. */
  static void released(Campaign from, String store) {
    Set<Campaign> namesakes = BY_NAME.get(from.name());
    if (namesakes != null) {
      for (Campaign c : namesakes) {
        if (c != from && c.storeDescription().equals(store)) {
          c.retryNow();
        }
      }
    }
  }
}
