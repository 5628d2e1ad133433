package dev.heartbeat.core;

import dev.heartbeat.LeaderTerm;
import dev.heartbeat.Lease;
import dev.heartbeat.RevokeReason;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One term of a {@link Campaign}: the lease it began with, and a stage completed when it ends. */
final class Term implements LeaderTerm {
  private final Lease lease;
  private final Campaign campaign;
  private final CompletableFuture<RevokeReason> ended = new CompletableFuture<>();

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
    return !ended.isDone() && campaign.leadsIn(this);
  }

  @Override
  public CompletionStage<RevokeReason> revocation() {
    return ended.minimalCompletionStage();
  }

  /** Ends the term; the first reason wins. */
  void end(RevokeReason reason) {
    ended.complete(reason);
  }

  @Override
  public String toString() {
    return "term " + lease.token() + " of " + lease.name();
  }
}
