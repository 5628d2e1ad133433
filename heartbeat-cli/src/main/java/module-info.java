/**
 * The {@code heartbeat} command: {@code demo}, {@code status}, {@code beat}, {@code watch} and
 * {@code monitor} (whose status document and server come from dev.heartbeat.monitor) on
 * any store opened by URI, and {@code serve} (dev.heartbeat.grpc's server). Run from the shaded jar on the class path; this descriptor states what
 * the command needs when it runs on the module path.
 */
module dev.heartbeat.cli {
  requires dev.heartbeat;
  requires info.picocli;
  requires com.fasterxml.jackson.databind;
  requires dev.heartbeat.monitor;
  requires dev.heartbeat.grpc;

  opens dev.heartbeat.cli to info.picocli;
}
