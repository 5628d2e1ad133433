package dev.heartbeat.file;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.Lease;
import dev.heartbeat.LeaseConfig;
import dev.heartbeat.LeaseDiagnostics;
import dev.heartbeat.Leadership;
import dev.heartbeat.LeadershipListener;
import dev.heartbeat.RevokeReason;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One candidate of {@link MultiProcessElectionTest}, run in its own JVM: campaigns for
 * {@code leader} in the directory given as the first argument, as the holder named by the second.
 * Prints one line per event on stdout, all instants from {@link System#nanoTime()}:
 * <pre>
 * ELECTED token nanos
 * REVOKED token nanos reason
 * RENEW token nanos                 (just before a renewal is sent to the store)
 * ACQUIRED token nanos tookNanos    (the store granted the lease; the call took tookNanos)
 * ACT token nanos validUntilNanos   (every 10 ms while leader: it checked, then acted)
 * </pre>
 * An act is only printed when the leadership snapshot said leader and was taken within
 * {@value #MAX_SAMPLE_MILLIS} ms, so {@code validUntilNanos} (the sample's end plus the validity
 * left) is an upper bound of the local deadline. It exits when its standard input closes (the
 * test ended) or after two minutes.
 */
public final class ElectionChild {
  static final Duration TTL = Duration.ofSeconds(2);
  private static final long MAX_SAMPLE_MILLIS = 20;
  private static final ReentrantLock OUT = new ReentrantLock();

  private ElectionChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String holder = args[1];
    Thread watchdog = new Thread(ElectionChild::exitWhenStdinCloses, "stdin-watch");
    watchdog.setDaemon(true);
    watchdog.start();
    AnnouncingStore store = new AnnouncingStore(FileStore.open(dir),
        token -> print("RENEW " + token + " " + System.nanoTime()),
        (token, took) -> print("ACQUIRED " + token + " " + System.nanoTime() + " " + took));
    Heartbeats hb = Heartbeats.builder().store(store).holderId(holder).build();
    Leadership leadership = hb.leases().elect("leader", LeaseConfig.ofTtl(TTL),
        new LeadershipListener() {
          @Override
          public void elected(Lease lease) {
            print("ELECTED " + lease.token() + " " + System.nanoTime());
          }

          @Override
          public void revoked(Lease lease, RevokeReason reason) {
            print("REVOKED " + lease.token() + " " + System.nanoTime() + " " + reason);
          }
        });
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() - end < 0) {
      long before = System.nanoTime();
      LeaseDiagnostics d = leadership.diagnostics();
      long after = System.nanoTime();
      if (d.leader() && d.lease() != null
          && after - before < TimeUnit.MILLISECONDS.toNanos(MAX_SAMPLE_MILLIS)) {
        print("ACT " + d.lease().token() + " " + before + " " + (after + d.validFor().toNanos()));
      }
      Thread.sleep(10);
    }
    System.exit(0);
  }

  private static void print(String line) {
    OUT.lock();
    try {
      System.out.println(line);
      System.out.flush();
    } finally {
      OUT.unlock();
    }
  }

  private static void exitWhenStdinCloses() {
    try {
      while (System.in.read() >= 0) {
        // the test never writes; end of input means it is gone
      }
    } catch (IOException e) {
      // treated as closed
    }
    Runtime.getRuntime().halt(0);
  }
}
