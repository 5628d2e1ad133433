/**
 * The heartbeat store on a relational database (PostgreSQL, MariaDB/MySQL, H2) through any
 * {@link javax.sql.DataSource}: {@link dev.heartbeat.jdbc.JdbcStore}, and {@code jdbc:} URIs for
 * {@code Heartbeats.open}.
 */
module dev.heartbeat.jdbc {
  requires transitive dev.heartbeat;
  requires transitive java.sql;
  requires org.slf4j;
  requires static com.zaxxer.hikari; // only for jdbc: URIs

  exports dev.heartbeat.jdbc;

  provides dev.heartbeat.spi.HeartbeatStoreProvider with dev.heartbeat.jdbc.JdbcStoreProvider;
}
