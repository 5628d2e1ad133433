package dev.heartbeat.file;

import dev.heartbeat.tck.ChangesContract;
import dev.heartbeat.tck.StoreHarness;

/**
 * The kit's incremental read on a fresh directory: the file store keeps no index of its changes
 * (a beat rewrites one file; an index would be a second file to keep in step), so every answer
 * is the SPI's default, a complete read.
 */
class FileChangesTest extends ChangesContract {
  @Override
  protected StoreHarness harness() {
    return new FileHarness();
  }
}
