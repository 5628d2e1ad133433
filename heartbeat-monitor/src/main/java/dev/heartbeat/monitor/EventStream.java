package dev.heartbeat.monitor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One {@code /events} client: a bounded queue the hub offers to (never blocking) and the
 * client's own thread drains to its socket. A client whose queue is full is dropped: its
 * connection is closed on a thread of its own, so that a client that never reads costs only
 * itself.
 */
final class EventStream {
  /** A comment line sent when nothing happened for this long, so that proxies keep the stream. */
  static final Duration KEEPALIVE = Duration.ofSeconds(15);
  private static final String CLOSE = "";

  private final Runnable disconnect;
  private final BlockingQueue<String> queue;
  private volatile boolean dropped;

  /** A client of {@code capacity} waiting events; {@code disconnect} closes its connection. */
  EventStream(int capacity, Runnable disconnect) {
    this.disconnect = disconnect;
    this.queue = new ArrayBlockingQueue<>(capacity);
  }

  /** Queues one event; {@code false} when the client is too slow (then it is dropped). */
  boolean offer(String event) {
    if (dropped) {
      return false;
    }
    if (queue.offer(event)) {
      return true;
    }
    drop();
    return false;
  }

  void drop() {
    if (!dropped) {
      dropped = true;
      queue.clear();
      queue.offer(CLOSE);
      Thread.ofVirtual().name("heartbeat-monitor-drop").start(disconnect);
    }
  }

  boolean dropped() {
    return dropped;
  }

  /** Writes events until the client goes, is dropped, or the thread is interrupted. */
  void pump(OutputStream out) throws IOException {
    out.write(": heartbeat-monitor events\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
    try {
      while (!dropped) {
        String event = queue.poll(KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS);
        if (event == CLOSE) {
          return;
        }
        out.write((event == null ? ": keepalive\n\n" : event).getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
