package dev.heartbeat.core;

import dev.heartbeat.Lease;
import dev.heartbeat.spi.LeaseRenewal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Drives the elections of one engine on the ticker: the leases due for renewal in a round go to
 * the store in one {@code renewAll} call; candidates acquire one by one. Answers come back to the
 * ticker thread and are applied by each {@link Campaign}.
 */
final class CampaignScheduler implements Tickable {
  private final Engine engine;
  private final ConcurrentHashMap<String, Campaign> campaigns = new ConcurrentHashMap<>();

  CampaignScheduler(Engine engine) {
    this.engine = engine;
  }

  void add(Campaign campaign) {
    if (campaigns.putIfAbsent(campaign.name(), campaign) != null) {
      throw new IllegalStateException("this Heartbeats already campaigns for lease '"
          + campaign.name() + "'; close that leadership first");
    }
    engine.tickerLoop().wake();
  }

  void remove(Campaign campaign) {
    campaigns.remove(campaign.name(), campaign);
  }

  List<Campaign> all() {
    return List.copyOf(campaigns.values());
  }

  @Override
  public long tick(long now) {
    List<Campaign> renewing = new ArrayList<>();
    for (Campaign c : campaigns.values()) {
      switch (c.due(now)) {
        case ACQUIRE -> acquire(c, now);
        case RENEW -> renewing.add(c);
        case NOTHING -> { }
      }
    }
    if (!renewing.isEmpty()) {
      renew(renewing, now);
    }
    long next = Long.MAX_VALUE;
    for (Campaign c : campaigns.values()) {
      next = Math.min(next, c.wakeAt(now));
    }
    return next;
  }

  private void acquire(Campaign c, long now) {
    String holder = engine.config().holderId();
    CompletableFuture<StoreCalls.Timed<Optional<Lease>>> call = engine.calls().timed(
        "tryAcquire(" + c.name() + ")",
        () -> engine.store().tryAcquire(c.name(), holder, c.config().ttl()));
    long epoch = c.sent(call, now);
    if (epoch >= 0) {
      call.whenComplete((answer, error) -> engine.tickerLoop().post(() -> c.answered(epoch,
          error == null ? answer.value() : null, error == null ? answer.latency() : null,
          error)));
    } else {
      // closed after this call was started: a lease it wins is given back, never kept
      call.whenComplete((answer, error) -> c.late(error == null ? answer.value() : null, error));
    }
  }

  private void renew(List<Campaign> renewing, long now) {
    String holder = engine.config().holderId();
    List<Campaign> sent = new ArrayList<>(renewing.size());
    List<LeaseRenewal> renewals = new ArrayList<>(renewing.size());
    for (Campaign c : renewing) {
      c.held().ifPresent(lease -> {
        sent.add(c);
        renewals.add(new LeaseRenewal(lease.name(), holder, lease.token(), c.config().ttl()));
      });
    }
    if (sent.isEmpty()) {
      return;
    }
    CompletableFuture<StoreCalls.Timed<List<Optional<Lease>>>> call = engine.calls().timed(
        "renewAll(" + renewals.size() + " leases)", () -> engine.store().renewAll(renewals));
    long[] epochs = new long[sent.size()];
    for (int i = 0; i < sent.size(); i++) {
      epochs[i] = sent.get(i).sent(call, now);
    }
    call.whenComplete((answers, error) -> engine.tickerLoop().post(() -> {
      for (int i = 0; i < sent.size(); i++) {
        if (epochs[i] >= 0) {
          sent.get(i).answered(epochs[i], error == null ? answers.value().get(i) : null,
              error == null ? answers.latency() : null, error);
        }
      }
    }));
  }
}
