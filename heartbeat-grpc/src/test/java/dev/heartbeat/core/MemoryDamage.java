package dev.heartbeat.core;

/**
 * The memory store's damage hooks (package-private there) for the gRPC module's harness: the kit
 * damages the backing store directly, since no network call can tear a record.
 */
public final class MemoryDamage {
  private MemoryDamage() {}

  /** Makes the agent's record unreadable in {@code store}. */
  public static void agent(MemoryStore store, String agentId) {
    store.damageAgent(agentId);
  }

  /** Makes the lease record unreadable in {@code store}. */
  public static void lease(MemoryStore store, String name) {
    store.damageLease(name);
  }
}
