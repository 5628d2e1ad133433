package dev.heartbeat.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The built-in pool of {@code jdbc:} URIs, on H2 in memory. */
class DriverManagerPoolTest {
  private static final String URL = "jdbc:h2:mem:pool-test;DB_CLOSE_DELAY=-1";

  @Test
  void aReturnedConnectionIsLentAgain() throws Exception {
    try (DriverManagerPool pool = new DriverManagerPool(URL, 2, Duration.ofSeconds(5))) {
      Connection first = pool.borrow();
      pool.giveBack(first, false);
      assertThat(pool.idleCount()).isEqualTo(1);
      Connection again = pool.borrow();
      assertThat(again).isSameAs(first);
      pool.giveBack(again, false);
    }
  }

  @Test
  void aBrokenConnectionIsClosedNeverLentAgain() throws Exception {
    try (DriverManagerPool pool = new DriverManagerPool(URL, 2, Duration.ofSeconds(5))) {
      Connection broken = pool.borrow();
      pool.giveBack(broken, true);
      assertThat(broken.isClosed()).isTrue();
      assertThat(pool.idleCount()).isZero();
      Connection next = pool.borrow();
      assertThat(next).isNotSameAs(broken);
      pool.giveBack(next, false);
    }
  }

  @Test
  void borrowingIsBoundedByThePoolSize() throws Exception {
    try (DriverManagerPool pool = new DriverManagerPool(URL, 1, Duration.ofMillis(50))) {
      Connection only = pool.borrow();
      assertThatThrownBy(pool::borrow).isInstanceOf(SQLTransientConnectionException.class)
          .hasMessageContaining("no pooled connection free within PT0.05S");
      pool.giveBack(only, false);
      pool.giveBack(pool.borrow(), false);
    }
  }

  @Test
  void closeClosesIdleConnectionsAndRefusesBorrowers() throws Exception {
    DriverManagerPool pool = new DriverManagerPool(URL, 2, Duration.ofSeconds(5));
    Connection c = pool.borrow();
    pool.giveBack(c, false);
    pool.close();
    assertThat(c.isClosed()).isTrue();
    assertThatThrownBy(pool::borrow).isInstanceOf(SQLTransientConnectionException.class)
        .hasMessageContaining("closed");
  }
}
