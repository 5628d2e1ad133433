package dev.heartbeat.grpc;

import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.CommitHold;
import dev.heartbeat.tck.DelayedCommitHarness;
import dev.heartbeat.tck.ManualTime;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The kit through a network hop: a server in front of a fresh memory store on the kit's clock,
 * and a {@link GrpcStore} to it. Damage goes to the backing store, where records live, through
 * its package-private hooks (the tests run on the class path).
 */
final class GrpcHarness implements DelayedCommitHarness {
  static final GrpcHarness INSTANCE = new GrpcHarness();

  @Override
  public HeartbeatStore open(ManualTime time, int historyLimit) {
    return ServedStore.open(new MemoryStore(time, historyLimit));
  }

  /** The memory store commits under its lock, with nothing after: the hold is never called. */
  @Override
  public HeartbeatStore openHoldingCommits(ManualTime time, int historyLimit, CommitHold hold) {
    return open(time, historyLimit);
  }

  @Override
  public void damageAgent(HeartbeatStore store, String agentId) {
    damage(store, "damageAgent", agentId);
  }

  @Override
  public void damageLease(HeartbeatStore store, String name) {
    damage(store, "damageLease", name);
  }

  private static void damage(HeartbeatStore store, String hook, String key) {
    try {
      Method m = MemoryStore.class.getDeclaredMethod(hook, String.class);
      m.setAccessible(true);
      m.invoke(((ServedStore) store).backing, key);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(hook + " failed", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("MemoryStore has no " + hook + "(String)", e);
    }
  }
}
