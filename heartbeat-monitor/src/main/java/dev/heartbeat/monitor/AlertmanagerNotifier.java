package dev.heartbeat.monitor;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.Leadership;
import dev.heartbeat.LeadershipListener;
import dev.heartbeat.TimeSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pages through Alertmanager's v2 API when an agent dies or stalls, a lease has no holder, beats
 * fail against the store, or a task blocks, and tells again when it is over.
 *
 * <p>Only the process holding the {@code notifier} lease (see
 * {@link AlertmanagerNotifierBuilder#lease}) sends, so a fleet pages once; when it loses the
 * lease another process is elected and re-sends what is firing. Every {@code resendInterval}
 * the leader posts each firing alert with {@code endsAt = now + 4 × resendInterval} (so
 * Alertmanager resolves it by itself if every sender dies) and each alert resolved in the last
 * 15 minutes with {@code endsAt} its resolution; a change is sent at the next tick (at most a
 * second later). Each Alertmanager URL gets every alert from
 * its own virtual thread and bounded queue: sending never blocks the engine's ticker or a
 * listener; failures are counted and retried with bounded backoff.
 *
 * <p>Thread-safe. {@link #close()} stops sending and steps down.
 */
public final class AlertmanagerNotifier implements AutoCloseable {
  /** The default time between two sends of a firing alert. */
  public static final Duration DEFAULT_RESEND = Duration.ofMinutes(1);
  /** The default name of the lease whose holder sends. */
  public static final String DEFAULT_LEASE = "notifier";
  /** How many batches each Alertmanager's queue holds before dropping the oldest. */
  public static final int QUEUE_CAPACITY = 100;
  private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerNotifier.class);
  private final TimeSource time;
  private final Duration tick;
  private final AlertRules rules;
  private final AlertFeed feed;
  private final HttpClient http;
  private final List<AlertSender> senders = new ArrayList<>();
  private final Leadership leadership;
  private final AtomicBoolean leader = new AtomicBoolean();
  private final AtomicBoolean resendAll = new AtomicBoolean();
  private final AlertSchedule schedule;
  private final Thread ticker;

  AlertmanagerNotifier(AlertmanagerNotifierBuilder b) {
    this.time = b.hb.config().time();
    Duration resend = b.resendInterval;
    this.schedule = new AlertSchedule(resend);
    this.tick = resend.compareTo(Duration.ofSeconds(1)) < 0 ? resend : Duration.ofSeconds(1);
    this.rules = new AlertRules(time, b.labels, Optional.ofNullable(b.generatorUrl)
        .map(URI::toString), b.noLeaderAfter, b.degradedAfter);
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Duration callTimeout = resend.dividedBy(2).compareTo(Duration.ofSeconds(10)) > 0
        ? Duration.ofSeconds(10) : resend.dividedBy(2);
    for (URI u : b.urls) {
      senders.add(new AlertSender(u, http, callTimeout, QUEUE_CAPACITY));
    }
    this.feed = new AlertFeed(b.hb, rules, b.leases, b.queues, b.agents, b.poll);
    this.leadership = b.hb.leases().elect(b.lease, LeadershipListener.of(l -> {
      resendAll.set(true);
      leader.set(true);
      LOG.info("heartbeat-monitor: this process sends alerts now (lease {})", l.name());
    }, (l, why) -> {
      leader.set(false);
      LOG.info("heartbeat-monitor: this process no longer sends alerts ({})", why);
    }));
    this.ticker = Thread.ofVirtual().name("heartbeat-alert-ticker").start(this::run);
    LOG.info("heartbeat-monitor: alerts to {} every {}, lease {}", b.urls, resend, b.lease);
  }

  /**
   * Starts building a notifier for an engine.
   *
   * @param hb the engine whose detector, leases and queues feed the alerts
   * @return a builder
   */
  public static AlertmanagerNotifierBuilder builder(Heartbeats hb) {
    return new AlertmanagerNotifierBuilder(hb);
  }

  /**
   * Whether this process holds the notifier lease and so sends.
   *
   * @return whether it sends
   */
  public boolean sending() {
    return leader.get();
  }

  /**
   * How many batches were accepted, summed over the Alertmanagers.
   *
   * @return the count
   */
  public long sent() {
    return senders.stream().mapToLong(AlertSender::sent).sum();
  }

  /**
   * How many posts failed (no answer or a 5xx) and were retried, summed over the Alertmanagers.
   *
   * @return the count
   */
  public long failures() {
    return senders.stream().mapToLong(AlertSender::failures).sum();
  }

  /**
   * How many batches the bounded queues dropped (the oldest first), plus alerts the rules
   * dropped at their bound.
   *
   * @return the count
   */
  public long dropped() {
    return senders.stream().mapToLong(AlertSender::dropped).sum() + rules.dropped();
  }

  private void run() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        sendDue();
      } catch (RuntimeException e) {
        LOG.warn("heartbeat-monitor: alert tick failed", e);
      }
      time.parkUntil(time.nanoTime() + tick.toNanos());
    }
  }

  private void sendDue() {
    if (!leader.get()) {
      return;
    }
    boolean all = resendAll.getAndSet(false);
    schedule.due(rules.alerts(), time.nanoTime(), time.instant(), all)
        .ifPresent(body -> senders.forEach(s -> s.offer(body)));
  }

  /** Stops sending, steps down from the lease and stops the feed; bounded. */
  @Override
  public void close() {
    ticker.interrupt();
    leadership.close();
    feed.close();
    senders.forEach(AlertSender::close);
    http.close();
  }
}
