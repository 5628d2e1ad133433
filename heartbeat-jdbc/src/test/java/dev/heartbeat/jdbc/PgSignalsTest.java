package dev.heartbeat.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Heartbeats;
import dev.heartbeat.TaskResult;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskWorker;
import dev.heartbeat.spi.TaskSignals;
import dev.heartbeat.spi.TaskStore;
import dev.heartbeat.tck.Await;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's task signals beyond the kit: a write that rolls back signals nothing; the
 * listening connection killed by the server is made again and every queue listened to hears one
 * signal, then signals as before; a worker that polls every 10 minutes runs a submitted task at
 * once; MariaDB and H2 have none. Real time, with generous bounds: the outcome is asserted.
 */
class PgSignalsTest {
  @Test
  void aRolledBackWriteSignalsNothing() throws Exception {
    try (JdbcStore store = Databases.POSTGRES.fresh(10)) {
      TaskStore tasks = store.tasks().orElseThrow();
      AtomicInteger heard = new AtomicInteger();
      String queue = "rollback-" + JdbcHarness.randomPrefix(); // heard of nothing else
      try (TaskSignals.Subscription s = tasks.signals().orElseThrow()
          .subscribe(queue, heard::incrementAndGet)) {
        store.withConnection(c -> {
          c.setAutoCommit(false);
          try (PreparedStatement ps = c.prepareStatement(new TaskSql(Dialect.POSTGRESQL,
              store.tablePrefix()).notify)) {
            ps.setString(1, queue);
            ps.execute();
          }
          c.rollback();
          c.setAutoCommit(true);
          return null;
        });
        tasks.submit(queue, TaskSpec.of("after", "p")); // a committed write, heard after it
        Await.until("the committed submit heard", () -> heard.get() >= 1);
        assertThat(heard.get()).as("signals: the rolled-back one is not among them").isEqualTo(1);
      }
    }
  }

  @Test
  void aKilledListeningConnectionIsMadeAgainAndEveryQueueSignalledOnce() throws Exception {
    try (JdbcStore store = Databases.POSTGRES.fresh(10)) {
      TaskStore tasks = store.tasks().orElseThrow();
      AtomicInteger heard = new AtomicInteger();
      try (TaskSignals.Subscription s = tasks.signals().orElseThrow()
          .subscribe("q", heard::incrementAndGet)) {
        int pid = ((PgSignals) tasks.signals().orElseThrow()).backendPid();
        boolean killed = store.withConnection(c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() && rs.getBoolean(1);
            }
          }
        });
        assertThat(killed).as("the listening backend %d killed", pid).isTrue();
        Await.until("one signal after the reconnect", () -> heard.get() >= 1,
            Duration.ofSeconds(30));
        int before = heard.get();
        tasks.submit("q", TaskSpec.of("t", "p"));
        Await.until("a submit heard again", () -> heard.get() > before, Duration.ofSeconds(30));
      }
    }
  }

  @Test
  void aWorkerPollingEveryTenMinutesRunsASubmittedTaskAtOnce() {
    try (JdbcStore store = Databases.POSTGRES.fresh(10);
        Heartbeats hb = Heartbeats.using(store)) {
      TaskWorker worker = hb.worker("w").queue("q").pollInterval(Duration.ofMinutes(10))
          .handler(ctx -> TaskResult.done()).start();
      Await.until("the worker beats", () -> worker.stats() != null
          && store.agent("w").isPresent());
      for (String id : new String[] {"t1", "t2", "t3"}) {
        hb.tasks("q").submit(TaskSpec.of(id, "p"));
        Await.until(id + " done long before the next poll", () -> hb.tasks("q").task(id)
            .orElseThrow().state() == TaskState.DONE, Duration.ofSeconds(30));
      }
      worker.close();
    }
  }

  @Test
  void mariaDbAndH2HaveNoSignals() {
    for (JdbcHarness db : java.util.List.of(Databases.MARIADB, Databases.H2_MEMORY)) {
      try (JdbcStore store = db.fresh(10)) {
        assertThat(store.tasks().orElseThrow().signals()).as(db.toString()).isEmpty();
      }
    }
  }

}
