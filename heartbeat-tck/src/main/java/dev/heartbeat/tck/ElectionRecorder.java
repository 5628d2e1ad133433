package dev.heartbeat.tck;

import dev.heartbeat.Lease;
import dev.heartbeat.LeadershipListener;
import dev.heartbeat.RevokeReason;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A listener that records what it was told and when (on the test's clock), for assertions about
 * order and overlap.
 */
public final class ElectionRecorder implements LeadershipListener {
  /** One call. */
  public record Event(String kind, Lease lease, RevokeReason reason, Instant at) {}

  private final ManualTime time;
  private final List<Event> events = new CopyOnWriteArrayList<>();

  public ElectionRecorder(ManualTime time) {
    this.time = time;
  }

  @Override
  public void elected(Lease lease) {
    events.add(new Event("elected", lease, null, time.instant()));
  }

  @Override
  public void revoked(Lease lease, RevokeReason reason) {
    events.add(new Event("revoked", lease, reason, time.instant()));
  }

  /** Everything so far, in order. */
  public List<Event> events() {
    return List.copyOf(events);
  }

  /** How many elected calls so far. */
  public long elections() {
    return events.stream().filter(e -> e.kind().equals("elected")).count();
  }

  /** How many revoked calls so far. */
  public long revocations() {
    return events.stream().filter(e -> e.kind().equals("revoked")).count();
  }

  /** The last event, or null. */
  public Event last() {
    List<Event> all = events();
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }
}
