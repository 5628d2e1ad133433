/**
 * An embeddable monitor for heartbeat: {@link dev.heartbeat.monitor.Monitor} serves the
 * {@code heartbeat-status/1} document, Prometheus metrics, server-sent events of changes and a
 * dashboard page over the JDK's own HTTP server. The status document's types are public here so
 * that the {@code heartbeat} command prints the same document from the same code.
 */
module dev.heartbeat.monitor {
  requires transitive dev.heartbeat;
  requires transitive micrometer.core;
  requires dev.heartbeat.micrometer;
  requires micrometer.registry.prometheus;
  requires java.net.http;
  requires jdk.httpserver;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports dev.heartbeat.monitor;
}
