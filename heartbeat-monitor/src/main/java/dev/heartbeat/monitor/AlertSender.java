package dev.heartbeat.monitor;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends batches to one Alertmanager on a virtual thread of its own. {@link #offer} never
 * blocks: the queue holds at most {@code capacity} batches and drops the oldest, counted. A
 * batch that fails (no answer, or a 5xx) stays at the head and is retried after a backoff that
 * doubles from {@link #BACKOFF_MIN} to {@link #BACKOFF_MAX}; a 4xx is logged with the payload
 * and dropped, as retrying cannot help. Logged once per change of state, never once per post:
 * WARN when posts start failing (or being rejected), INFO when they are accepted again; the
 * posts in between at DEBUG.
 */
final class AlertSender implements AutoCloseable {
  static final Duration BACKOFF_MIN = Duration.ofMillis(100);
  static final Duration BACKOFF_MAX = Duration.ofSeconds(10);
  private final Logger log;
  private final URI uri;
  private final HttpClient http;
  private final Duration callTimeout;
  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ready = lock.newCondition();
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private long dropped;
  private boolean failing;
  private boolean rejecting;
  private final Thread thread;

  AlertSender(URI base, HttpClient http, Duration callTimeout, int capacity) {
    this(base, http, callTimeout, capacity, LoggerFactory.getLogger(AlertSender.class));
  }

  /** With the logger its changes of state go to (a test reads them). */
  AlertSender(URI base, HttpClient http, Duration callTimeout, int capacity, Logger log) {
    this.log = log;
    this.uri = base.resolve(base.getPath().endsWith("/") ? "api/v2/alerts"
        : base.getPath() + "/api/v2/alerts");
    this.http = http;
    this.callTimeout = callTimeout;
    this.capacity = capacity;
    thread = Thread.ofVirtual().name("heartbeat-alertmanager-" + base.getAuthority())
        .start(this::run);
  }

  URI uri() {
    return uri;
  }

  void offer(String batch) {
    lock.lock();
    try {
      if (queue.size() >= capacity) {
        queue.pollFirst();
        dropped++;
      }
      queue.addLast(batch);
      ready.signal();
    } finally {
      lock.unlock();
    }
  }

  long sent() {
    return sent.get();
  }

  long failures() {
    return failures.get();
  }

  long rejected() {
    return rejected.get();
  }

  long dropped() {
    lock.lock();
    try {
      return dropped;
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    Duration backoff = BACKOFF_MIN;
    while (!Thread.currentThread().isInterrupted()) {
      String batch;
      lock.lock();
      try {
        while (queue.isEmpty()) {
          ready.await();
        }
        batch = queue.peekFirst();
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      int status = post(batch);
      if (status / 100 == 2 || status / 100 == 4) {
        lock.lock();
        try {
          if (queue.peekFirst() == batch) {
            queue.pollFirst();
          }
        } finally {
          lock.unlock();
        }
        if (status / 100 == 4) {
          rejected.incrementAndGet();
          if (!rejecting) {
            rejecting = true;
            log.warn("heartbeat-monitor: {} rejected alerts with {} (more rejections at DEBUG "
                + "until it accepts some): {}", uri, status, batch);
          } else {
            log.debug("heartbeat-monitor: {} rejected alerts with {}: {}", uri, status, batch);
          }
        } else {
          sent.incrementAndGet();
          if (rejecting) {
            rejecting = false;
            log.info("heartbeat-monitor: {} accepts alerts again", uri);
          }
        }
        if (failing) {
          failing = false;
          log.info("heartbeat-monitor: sending alerts to {} works again", uri);
        }
        backoff = BACKOFF_MIN;
      } else {
        failures.incrementAndGet();
        if (!failing) {
          failing = true;
          log.warn("heartbeat-monitor: cannot send alerts to {} (status {}); retrying with "
              + "backoff up to {}", uri, status, BACKOFF_MAX);
        }
        try {
          TimeUnit.NANOSECONDS.sleep(backoff.toNanos());
        } catch (InterruptedException e) {
          return;
        }
        backoff = backoff.multipliedBy(2).compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX
            : backoff.multipliedBy(2);
      }
    }
  }

  /** The status, or -1 when there was no answer. */
  private int post(String batch) {
    try {
      HttpRequest r = HttpRequest.newBuilder(uri).timeout(callTimeout)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(batch)).build();
      return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (java.io.IOException | RuntimeException e) {
      log.debug("heartbeat-monitor: sending to {} failed: {}", uri, e.toString());
      return -1;
    }
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
