package dev.heartbeat.jdbc;

import java.nio.file.Path;

/** The real databases the tests run on: all on this machine, none mocked. */
final class Databases {
  /** H2 in memory, one database for the whole run. */
  static final JdbcHarness H2_MEMORY = new JdbcHarness("h2-mem",
      "jdbc:h2:mem:heartbeat;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000");
  /** H2 in a file under target/. */
  static final JdbcHarness H2_FILE = new JdbcHarness("h2-file", "jdbc:h2:file:"
      + Path.of("target", "h2", "heartbeat").toAbsolutePath() + ";LOCK_TIMEOUT=20000");
  /** PostgreSQL on 127.0.0.1:5432. */
  static final JdbcHarness POSTGRES = new JdbcHarness("postgresql",
      "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
  /** MariaDB on 127.0.0.1:3306. */
  static final JdbcHarness MARIADB = new JdbcHarness("mariadb",
      "jdbc:mariadb://127.0.0.1:3306/test?user=root");

  private Databases() {}
}
