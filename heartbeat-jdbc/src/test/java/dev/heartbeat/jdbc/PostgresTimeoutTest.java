package dev.heartbeat.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.tck.FaultProxy;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A hung connection does not hang the {@code jdbc:} URI's pool forever: the store's network
 * timeout ends a call whose server stopped answering, and its statement timeout ends a call that
 * waits on a lock another session holds. Real PostgreSQL, through a {@link FaultProxy}; the
 * bounds are generous and only outcomes are asserted.
 */
class PostgresTimeoutTest {
  private static final long BOUND_SECONDS = 60;

  @Test
  void callsOnABlackHoledServerFailAndThePoolRecoversOnceItAnswers() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try (FaultProxy proxy = FaultProxy.to(5432);
        JdbcStore store = (JdbcStore) new JdbcStoreProvider().open(URI.create(
            "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test?user=postgres#tablePrefix="
                + JdbcHarness.randomPrefix() + "&poolSize=2&networkTimeout=2s"))) {
      store.tryAcquire("x", "a", Duration.ofSeconds(30)).orElseThrow();
      proxy.blackHole();
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < 4; i++) { // twice the pool: the first two hang on the wire
        calls.add(callers.submit(() -> store.lease("x")));
      }
      for (Future<?> call : calls) {
        assertThatThrownBy(() -> call.get(BOUND_SECONDS, TimeUnit.SECONDS))
            .hasCauseInstanceOf(HeartbeatStoreException.class);
      }
      proxy.heal();
      assertThat(callers.submit(() -> store.lease("x")).get(BOUND_SECONDS, TimeUnit.SECONDS))
          .get().extracting(l -> l.holder()).isEqualTo("a");
      store.dropSchema();
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void aCallWaitingOnALockAnotherSessionHoldsEndsAtTheQueryTimeout() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(1);
    try (JdbcStore store = (JdbcStore) new JdbcStoreProvider().open(URI.create(
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres#tablePrefix="
                + JdbcHarness.randomPrefix() + "&poolSize=2&queryTimeout=1s"));
        Connection other = Databases.POSTGRES.dataSource().getConnection()) {
      store.tryAcquire("x", "a", Duration.ofMillis(1)).orElseThrow();
      other.setAutoCommit(false);
      try (PreparedStatement lock = other.prepareStatement(
          "SELECT token FROM " + store.sql().fencing + " WHERE name = 'x' FOR UPDATE")) {
        lock.executeQuery().close(); // held until other rolls back
      }
      Future<?> blocked = callers.submit(() -> store.tryAcquire("x", "b", Duration.ofSeconds(5)));
      assertThatThrownBy(() -> blocked.get(BOUND_SECONDS, TimeUnit.SECONDS))
          .hasCauseInstanceOf(HeartbeatStoreException.class);
      other.rollback();
      assertThat(store.tryAcquire("x", "b", Duration.ofSeconds(5))).isPresent();
      store.dropSchema();
    } finally {
      callers.shutdownNow();
    }
  }
}
