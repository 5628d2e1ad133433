package dev.heartbeat.monitor;

import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.file.FileStore;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A worker process of {@link AlertmanagerWorkerProcessTest}: agent {@code args[1]} beats every
 * {@code args[2]} milliseconds into the file store at {@code args[0]}, on real time, until the
 * process is killed. Prints {@code BEATING} after its first stored beat.
 */
public final class WorkerChild {
  private WorkerChild() {}

  public static void main(String[] args) throws InterruptedException {
    Heartbeats hb = Heartbeats.builder().store(FileStore.builder(Path.of(args[0])).build())
        .holderId(args[1]).build();
    HeartbeatAgent agent = hb.agent(args[1])
        .interval(Duration.ofMillis(Long.parseLong(args[2]))).start();
    while (agent.diagnostics().beats().succeeded() == 0) {
      Thread.sleep(10);
    }
    System.out.println("BEATING");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE); // until killed: it never closes, as a crashed worker
  }
}
