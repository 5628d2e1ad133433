package dev.heartbeat.tck;

import dev.heartbeat.tck.LeaseCall.Answer;
import dev.heartbeat.tck.LeaseCall.Request;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The sequential reference that {@link LeaseLinearizability} explains a concurrent history with:
 * what a store answers when calls come one at a time, as an immutable value so that the search
 * can remember the states it tried. The rules are those of {@link LeaseModelProperties}' model: a
 * free, released or expired lease is acquired with a token greater than every token issued for it;
 * a live lease is not acquired, not even by its holder; renewing takes the holder and its token
 * and a lease not yet expired; releasing takes the holder and its token (expired or not); reading
 * shows the last holder, token and TTL until the lease is released. Time is whole seconds.
 *
 * @param now the model's clock, moved only by {@code ADVANCE}
 * @param slots one per lease
 */
record LeaseModel(long now, List<Slot> slots) {

  /**
   * One lease: its holder (-1 when never acquired or released), token, expiry, last TTL, and the
   * highest token ever issued for it.
   */
  record Slot(int holder, long token, long expires, int ttl, long issued) {
    static final Slot NEVER = new Slot(-1, 0, 0, 0, 0);

    boolean live(long now) {
      return holder >= 0 && now < expires;
    }

    @Override
    public String toString() {
      String rest = "tokens issued up to " + issued;
      return holder < 0 ? "free, " + rest
          : "h" + holder + " token " + token + " until " + expires + "s (ttl " + ttl + "s), "
              + rest;
    }
  }

  /** No lease ever acquired, time zero. */
  static LeaseModel start(int leases) {
    return new LeaseModel(0, Collections.nCopies(leases, Slot.NEVER));
  }

  /**
   * The state after {@code request} got {@code answer}, or {@code null} when the model, in this
   * state, could not have answered so.
   */
  LeaseModel after(Request request, Answer answer) {
    if (request.kind() == LeaseCall.Kind.ADVANCE) {
      return new LeaseModel(now + request.seconds(), slots);
    }
    Slot slot = slots.get(request.lease());
    Slot next = switch (request.kind()) {
      case ACQUIRE -> acquire(slot, request, answer);
      case RENEW, RENEW_ALL -> renew(slot, request, answer);
      case RELEASE -> release(slot, request, answer);
      case READ -> read(slot, answer);
      case ADVANCE -> throw new IllegalStateException("handled above");
    };
    if (next == null || next == slot) {
      return next == null ? null : this;
    }
    List<Slot> copy = new ArrayList<>(slots);
    copy.set(request.lease(), next);
    return new LeaseModel(now, List.copyOf(copy));
  }

  private Slot acquire(Slot slot, Request r, Answer a) {
    if (slot.live(now)) {
      return a.ok() ? null : slot;
    }
    if (!a.ok() || a.holder() != r.holder() || a.token() <= slot.issued()) {
      return null;
    }
    return new Slot(r.holder(), a.token(), now + r.seconds(), r.seconds(), a.token());
  }

  private Slot renew(Slot slot, Request r, Answer a) {
    boolean allowed = slot.live(now) && slot.holder() == r.holder() && slot.token() == r.token();
    if (a.ok() != allowed) {
      return null;
    }
    if (!allowed) {
      return slot;
    }
    if (a.token() != r.token()) {
      return null;
    }
    return new Slot(slot.holder(), slot.token(), now + r.seconds(), r.seconds(), slot.issued());
  }

  private static Slot release(Slot slot, Request r, Answer a) {
    boolean allowed = slot.holder() >= 0 && slot.holder() == r.holder()
        && slot.token() == r.token();
    if (a.ok() != allowed) {
      return null;
    }
    return allowed ? new Slot(-1, 0, 0, 0, slot.issued()) : slot;
  }

  private static Slot read(Slot slot, Answer a) {
    if (slot.holder() < 0) {
      return a.ok() ? null : slot;
    }
    boolean same = a.ok() && a.holder() == slot.holder() && a.token() == slot.token()
        && a.ttl() == slot.ttl();
    return same ? slot : null;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("now " + now + "s");
    for (int l = 0; l < slots.size(); l++) {
      out.append("; l").append(l).append(": ").append(slots.get(l));
    }
    return out.toString();
  }
}
