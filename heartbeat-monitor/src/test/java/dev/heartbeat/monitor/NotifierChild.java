package dev.heartbeat.monitor;

import dev.heartbeat.AgentState;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.LeaseConfig;
import dev.heartbeat.file.FileStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A notifier process of {@link AlertmanagerNotifierProcessTest}: an engine named
 * {@code args[1]} on the file store at {@code args[0]}, its detector tuned to beats every
 * {@code args[3]} milliseconds, its leases living {@code args[4]} milliseconds, and an
 * {@link AlertmanagerNotifier} to the Alertmanager at {@code args[2]}, on real time, until the
 * process is killed. It prints {@code SENDING true|false}, {@code SENT n}, {@code FAILED n} and
 * {@code STATE <agent> <state>} (for agent {@code args[5]}) each time one changes.
 */
public final class NotifierChild {
  private NotifierChild() {}

  public static void main(String[] args) throws InterruptedException {
    Heartbeats hb = Heartbeats.builder().store(FileStore.builder(Path.of(args[0])).build())
        .holderId(args[1])
        .leaseDefaults(LeaseConfig.ofTtl(Duration.ofMillis(Long.parseLong(args[4])))).build();
    hb.detector(DetectorConfig.forInterval(Duration.ofMillis(Long.parseLong(args[3]))));
    AlertmanagerNotifier n = AlertmanagerNotifier.builder(hb).alertmanager(args[2])
        .resendInterval(Duration.ofMinutes(30)).poll(Duration.ofMillis(50)).start();
    Boolean sending = null;
    long sent = -1;
    long failed = -1;
    AgentState state = null;
    while (true) { // until killed: it never closes, as a crashed process
      if (!Objects.equals(sending, n.sending())) {
        sending = n.sending();
        System.out.println("SENDING " + sending);
      }
      if (sent != n.sent()) {
        sent = n.sent();
        System.out.println("SENT " + sent);
      }
      if (failed != n.failures()) {
        failed = n.failures();
        System.out.println("FAILED " + failed);
      }
      AgentState now = hb.detector().state(args[5]).orElse(null);
      if (now != null && now != state) {
        state = now;
        System.out.println("STATE " + args[5] + " " + state);
      }
      System.out.flush();
      Thread.sleep(20);
    }
  }
}
