package dev.heartbeat.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.spi.AttemptEnd;
import dev.heartbeat.spi.ClaimAnswer;
import dev.heartbeat.spi.ClaimRenewal;
import dev.heartbeat.spi.TaskClaim;
import dev.heartbeat.spi.TaskStore;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.ManualTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tasks on a non-persistent Redis that the test restarts, which loses every key: the tasks are
 * gone (their workers' renewals and ends are refused), no task is claimed for one maximum TTL
 * after the loss is noticed (a worker of a lost claim may still run until it fences itself), and
 * tokens issued afterwards exceed every earlier one although the task's token floor was lost too.
 */
class RedisTaskDataLossTest {
  private static final Duration MAX_TTL = Duration.ofSeconds(60);
  private static final Duration TTL = Duration.ofSeconds(15);
  private static final String Q = "jobs";

  private final ManualTime time = new ManualTime();
  private RedisServer server;
  private RedisStore store;
  private TaskStore tasks;

  @BeforeEach
  void startServer() {
    server = RedisServer.start();
    store = RedisStore.builder(server.uri()).keyPrefix("loss").maxLeaseTtl(MAX_TTL)
        .commandTimeout(Duration.ofSeconds(2)).clockOffset(time::elapsed).build();
    tasks = store.tasks().orElseThrow();
  }

  @AfterEach
  void stopServer() {
    store.close();
    server.close();
  }

  @Test
  void noTaskIsClaimedForOneMaxTtlAfterALossAndTokensKeepGrowing() {
    tasks.submit(Q, TaskSpec.of("t1", ""));
    assertThat(tasks.claim(Q, "w1", "w1-1", 1, TTL)).as("first start: quarantined").isEmpty();
    time.advance(MAX_TTL);
    TaskClaim first = tasks.claim(Q, "w1", "w1-1", 1, TTL).getFirst();

    server.restart();
    List<ClaimAnswer> renewed = answer(() ->
        tasks.renewClaims(List.of(new ClaimRenewal(first.claim(), TTL))));
    assertThat(renewed).as("the lost claim is not renewed").containsExactly(ClaimAnswer.LOST);
    assertThat(tasks.end(first.claim(), new AttemptEnd(AttemptOutcome.DONE, Optional.empty(),
        Optional.empty(), Optional.empty(), TaskState.DONE, Duration.ZERO, Optional.empty())))
        .as("nor its end").isFalse();
    assertThat(tasks.read(Q, "t1")).as("the task is gone with the data").isEmpty();

    assertThat(tasks.submit(Q, TaskSpec.of("t1", "again")).token()).isZero();
    assertThat(tasks.claim(Q, "w2", "w2-1", 1, TTL)).as("quarantine after the loss").isEmpty();
    time.advance(MAX_TTL.minusSeconds(1));
    assertThat(tasks.claim(Q, "w2", "w2-1", 1, TTL)).as("one second before its end").isEmpty();
    time.advance(Duration.ofSeconds(1));
    TaskClaim second = tasks.claim(Q, "w2", "w2-1", 1, TTL).getFirst();
    assertThat(second.claim().token()).as("tokens never go back")
        .isGreaterThan(first.claim().token());
    assertThat(second.task().attempts()).hasSize(1);
  }

  /** The first answer once the client has reconnected (a bounded wait for an outcome). */
  private static <T> T answer(Supplier<T> call) {
    AtomicReference<T> out = new AtomicReference<>();
    Await.until("an answer after the restart", () -> {
      try {
        out.set(call.get());
        return true;
      } catch (dev.heartbeat.HeartbeatStoreException e) {
        return false;
      }
    }, Duration.ofSeconds(30));
    return out.get();
  }
}
