package dev.heartbeat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.TaskQueue;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.spi.TaskStore;
import dev.heartbeat.tck.Await;
import dev.heartbeat.tck.ForwardingStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code Heartbeats.tasks(queue)} and {@code worker(id)}: input checks and bounded calls. */
class TaskQueueApiTest {
  @Test
  void aStoreWithoutTasksIsNamedInTheError() {
    MemoryStore memory = new MemoryStore();
    ForwardingStore noTasks = new ForwardingStore(memory) {
      @Override
      public Optional<TaskStore> tasks() {
        return Optional.empty();
      }

      @Override
      public String describe() {
        return "no-tasks-store";
      }
    };
    try (Heartbeats hb = Heartbeats.builder().store(noTasks).build()) {
      assertThatThrownBy(() -> hb.tasks("q")).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no-tasks-store").hasMessageContaining("keeps no tasks");
      assertThatThrownBy(() -> hb.worker("w")).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no-tasks-store");
    }
  }

  @Test
  void badInputIsRefusedNamingTheParameterAndValue() {
    try (TaskRig rig = new TaskRig()) {
      assertThatThrownBy(() -> rig.hb.tasks(" ")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("queue");
      assertThatThrownBy(() -> rig.hb.worker("")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("id");
      TaskQueue q = rig.queue;
      assertThatThrownBy(() -> q.submit(null)).hasMessageContaining("spec");
      assertThatThrownBy(() -> q.task("a\nb")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("id");
      assertThatThrownBy(() -> q.tasks(TaskState.INBOX, 0))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit")
          .hasMessageContaining("0");
      assertThatThrownBy(() -> q.tasks(null, 10)).hasMessageContaining("state");
      assertThatThrownBy(() -> rig.hb.worker("w").concurrency(0))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attempts")
          .hasMessageContaining("0");
      assertThatThrownBy(() -> rig.hb.worker("w").queue("q").handler(c -> null)
          .interval(Duration.ofSeconds(5)).claimTtl(Duration.ofSeconds(10)).start())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("claimTtl")
          .hasMessageContaining("PT10S");
      assertThatThrownBy(() -> rig.hb.worker("w").start())
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("queue");
    }
  }

  @Test
  void eachCallIsOneStoreCallAndSubmitReadCancelRetryCountWork() {
    try (TaskRig rig = new TaskRig()) {
      TaskQueue q = rig.queue;
      assertThat(q.name()).isEqualTo("q");
      assertThat(q.submit(TaskSpec.of("t1", "p")).state()).isEqualTo(TaskState.INBOX);
      assertThat(q.task("t1").orElseThrow().spec().payload()).isEqualTo("p");
      assertThat(q.tasks(TaskState.INBOX)).hasSize(1);
      assertThat(q.counts().toString()).contains("1");
      assertThat(q.cancel("t1").orElseThrow().state()).isEqualTo(TaskState.CANCELLED);
      assertThat(q.retry("t1")).isEmpty();
      assertThat(q.task("none")).isEmpty();
    }
  }

  @Test
  void aHangingStoreCostsTheCallerTheCallTimeoutOnly() throws Exception {
    try (TaskRig rig = new TaskRig()) {
      rig.link.hang();
      CompletableFuture<Throwable> failure = new CompletableFuture<>();
      Thread caller = Thread.ofVirtual().start(() -> {
        try {
          rig.queue.counts();
          failure.complete(null);
        } catch (Throwable e) {
          failure.complete(e);
        }
      });
      Await.until("the caller waits on the clock", () -> rig.time.isParked(caller));
      rig.time.advance(rig.hb.config().callTimeout());
      assertThat(failure.get()).isInstanceOf(HeartbeatStoreException.class)
          .hasMessageContaining("countTasks(q)");
      rig.link.heal();
    }
  }
}
