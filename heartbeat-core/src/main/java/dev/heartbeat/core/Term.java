package dev.heartbeat.core;

import dev.heartbeat.LeaderTerm;
import dev.heartbeat.Lease;
import dev.heartbeat.RevokeReason;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One term of a {@link Campaign}: the lease it began with, and a stage completed when it ends.
 * The stage is completed on a virtual thread of its own, never on the thread that ends the term
 * (the ticker, under the campaign's lock), so that what a user chained to it runs there.
 */
final class Term implements LeaderTerm {
  private final Lease lease;
  private final Campaign campaign;
  private final CompletableFuture<RevokeReason> ended = new CompletableFuture<>();
  private final AtomicReference<RevokeReason> reason = new AtomicReference<>();

  Term(Lease lease, Campaign campaign) {
    this.lease = lease;
    this.campaign = campaign;
  }

  @Override
  public Lease lease() {
    return lease;
  }

  @Override
  public boolean isValid() {
    return reason.get() == null && campaign.leadsIn(this);
  }

  @Override
  public CompletionStage<RevokeReason> revocation() {
    return ended.minimalCompletionStage();
  }

  /** Ends the term; the first reason wins; never blocks. */
  void end(RevokeReason why) {
    if (reason.compareAndSet(null, why)) {
      Thread.ofVirtual().name("heartbeat-term-" + lease.name()).start(() -> ended.complete(why));
    }
  }

  /** Waits until the stage has completed (at once, but on another thread). */
  void awaitEnded() {
    ended.join();
  }

  @Override
  public String toString() {
    return "term " + lease.token() + " of " + lease.name();
  }
}
