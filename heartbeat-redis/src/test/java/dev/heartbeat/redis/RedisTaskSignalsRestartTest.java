package dev.heartbeat.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.spi.TaskSignals;
import dev.heartbeat.spi.TaskStore;
import dev.heartbeat.tck.Await;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Task signals across a restart of a private Redis (which drops the pub/sub connection and
 * loses the subscriptions): once Lettuce has made the connection again and subscribed again,
 * the store signals every subscribed queue once, for what may have been lost meanwhile, and a
 * later submit is heard again. Waits are bounded polls for outcomes on real time.
 */
class RedisTaskSignalsRestartTest {
  private static final Duration BOUND = Duration.ofSeconds(60);

  private RedisServer server;
  private RedisStore store;

  @BeforeEach
  void startServer() {
    server = RedisServer.start();
    store = RedisStore.builder(server.uri()).keyPrefix("signals")
        .commandTimeout(Duration.ofSeconds(2)).build();
  }

  @AfterEach
  void stopServer() {
    try {
      store.close();
    } finally {
      server.close();
    }
  }

  @Test
  void afterARestartEverySubscribedQueueIsSignalledOnceAndSignalsAreHeardAgain() {
    TaskStore tasks = store.tasks().orElseThrow();
    AtomicInteger jobs = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    try (TaskSignals.Subscription a = tasks.signals().orElseThrow().subscribe("jobs",
            jobs::incrementAndGet);
        TaskSignals.Subscription b = tasks.signals().orElseThrow().subscribe("other",
            other::incrementAndGet)) {
      tasks.submit("jobs", TaskSpec.of("before", ""));
      Await.until("the submit before the restart heard", () -> jobs.get() == 1, BOUND);

      server.restart();
      Await.until("both queues signalled once the subscription is back (jobs " + jobs.get()
          + ", other " + other.get() + ")", () -> jobs.get() >= 2 && other.get() >= 1, BOUND);
      assertThat(other.get()).as("the other queue, signalled once for the reconnect")
          .isEqualTo(1);

      int heard = jobs.get();
      Await.until("a submit after the restart goes through", () -> submitted(tasks), BOUND);
      Await.until("the submit after the restart heard", () -> jobs.get() > heard, BOUND);
    }
  }

  private static boolean submitted(TaskStore tasks) {
    try {
      tasks.submit("jobs", TaskSpec.of("after", ""));
      return true;
    } catch (HeartbeatStoreException e) {
      return false; // the command connection is not back yet
    }
  }
}
