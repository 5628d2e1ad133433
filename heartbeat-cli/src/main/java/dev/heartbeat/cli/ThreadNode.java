package dev.heartbeat.cli;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.spi.HeartbeatStore;

/**
 * A demo member on its own {@link Heartbeats} inside the demo's JVM, for stores that cannot be
 * shared between processes ({@code memory:}) or when asked. {@link #kill()} cuts its store
 * cable ({@link SeverableStore}): from then on it can neither beat, renew nor leave, like a
 * crashed process.
 */
final class ThreadNode implements DemoNode {
  private final String id;
  private final SeverableStore cable;
  private final Participant participant;

  private ThreadNode(String id, SeverableStore cable, Participant participant) {
    this.id = id;
    this.cable = cable;
    this.participant = participant;
  }

  static ThreadNode start(HeartbeatStore shared, DemoRole role, String id, String lease,
      String task) {
    SeverableStore cable = new SeverableStore(shared);
    Heartbeats hb = Heartbeats.builder().store(cable).holderId(id)
        .agentDefaults(DemoTiming.AGENT).leaseDefaults(DemoTiming.LEASE).build();
    return new ThreadNode(id, cable, Participant.start(hb, role, id, lease, task));
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public void stall() {
    participant.stall();
  }

  @Override
  public void kill() {
    cable.sever();
    participant.close();
  }

  @Override
  public void close() {
    participant.close();
  }
}
