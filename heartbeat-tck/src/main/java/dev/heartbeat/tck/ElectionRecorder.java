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
  /**
   * One call.
   *
   * @param at when it happened
   * @param kind {@code elected} or {@code revoked}
   * @param lease the lease
   * @param reason the reason
   */
  public record Event(String kind, Lease lease, RevokeReason reason, Instant at) {}

  private final ManualTime time;
  private final List<Event> events = new CopyOnWriteArrayList<>();

  /**
   * A recorder that stamps each event with {@code time}.
   *
   * @param time the clock of the events
   */
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

  /**
   * Everything so far, in order.
   *
   * @return the events recorded so far, in order
   */
  public List<Event> events() {
    return List.copyOf(events);
  }

  /**
   * How many elected calls so far.
   *
   * @return how many elected calls so far
   */
  public long elections() {
    return events.stream().filter(e -> e.kind().equals("elected")).count();
  }

  /**
   * How many revoked calls so far.
   *
   * @return how many revoked calls so far
   */
  public long revocations() {
    return events.stream().filter(e -> e.kind().equals("revoked")).count();
  }

  /**
   * The last event, or null.
   *
   * @return the last event, or null
   */
  public Event last() {
    List<Event> all = events();
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  /**
   * The first revoked event: what ended the first term, whatever came after it (a candidate whose
   * link is healthy may be elected again at once).
   *
   * @return the first revoked event, or null
   */
  public Event firstRevocation() {
    return events().stream().filter(e -> e.kind().equals("revoked")).findFirst().orElse(null);
  }
}
