/**
 * The file store ({@code file:/dir}): one directory of readable JSON files on one machine, shared
 * safely by several processes. Only {@link dev.heartbeat.file.FileStore} and its provider are
 * public.
 */
module dev.heartbeat.file {
  requires transitive dev.heartbeat;
  requires com.fasterxml.jackson.databind;

  exports dev.heartbeat.file;

  provides dev.heartbeat.spi.HeartbeatStoreProvider with dev.heartbeat.file.FileStoreProvider;
}
