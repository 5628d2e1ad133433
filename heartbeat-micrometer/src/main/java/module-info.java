/**
 * Micrometer meters for heartbeat: {@link dev.heartbeat.micrometer.HeartbeatMetrics} binds the
 * beats, store call latency, ticker, agents per detector state, leases, task workers and task
 * queues of one {@link dev.heartbeat.Heartbeats} to a {@code MeterRegistry}.
 */
module dev.heartbeat.micrometer {
  requires transitive dev.heartbeat;
  requires transitive micrometer.core;
  requires org.slf4j;

  exports dev.heartbeat.micrometer;
}
