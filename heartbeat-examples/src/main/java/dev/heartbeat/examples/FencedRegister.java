package dev.heartbeat.examples;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A downstream resource that honours fencing tokens: it accepts a write only when its token is
 * at least the highest token it has seen, and remembers the highest. This is what a leader's
 * writes must meet for the lease's fencing token to protect anything.
 *
 * <p>A register learns a newer token only when something brings it one. A holder that was
 * frozen between its {@code isLeader()} check and its write (a GC pause, a suspended VM) can
 * resume after the next leader was granted the lease but before that leader wrote anything: its
 * stale write still carries the highest token the register has seen, and is accepted. So a new
 * leader publishes its token downstream ({@link #fence(long)}) in {@code elected}, before it acts;
 * from then on every older holder's write is refused. {@code FencedRegisterTest} shows both
 * orders.
 *
 * <p>Thread-safe.
 */
public final class FencedRegister {
  private final ReentrantLock lock = new ReentrantLock();
  private long highest;
  private String value;

  /** Raises the lowest token this register accepts to {@code token}; a lower token is ignored. */
  public void fence(long token) {
    lock.lock();
    try {
      highest = Math.max(highest, token);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes {@code newValue} if {@code token} is not older than any token seen.
   *
   * @return {@code true} when written, {@code false} when refused as a stale holder's write
   */
  public boolean write(long token, String newValue) {
    lock.lock();
    try {
      if (token < highest) {
        return false;
      }
      highest = token;
      value = newValue;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** The value last written, or {@code null}. */
  public String value() {
    lock.lock();
    try {
      return value;
    } finally {
      lock.unlock();
    }
  }
}
