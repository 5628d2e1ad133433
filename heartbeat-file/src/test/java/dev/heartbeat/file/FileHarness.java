package dev.heartbeat.file;

import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.ManualTime;
import dev.heartbeat.tck.StoreHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kit's harness for the file store: a fresh directory under {@code target/} per store, the
 * test's {@link ManualTime} as the store clock, and damage done the way a torn write would do it:
 * the file cut to half its length.
 */
final class FileHarness implements StoreHarness {
  static final Path BASE = Path.of("target", "file-stores");

  @Override
  public HeartbeatStore open(ManualTime time, int historyLimit) {
    return FileStore.open(freshDirectory(), time, historyLimit);
  }

  static Path freshDirectory() {
    try {
      Files.createDirectories(BASE);
      return Files.createTempDirectory(BASE, "store-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void damageAgent(HeartbeatStore store, String agentId) {
    cutInHalf(((FileStore) store).agentFiles().stateFile(agentId));
  }

  @Override
  public void damageLease(HeartbeatStore store, String name) {
    cutInHalf(((FileStore) store).leaseFiles().leaseFile(name));
  }

  static void cutInHalf(Path file) {
    try {
      byte[] content = Files.readAllBytes(file);
      Files.write(file, java.util.Arrays.copyOf(content, content.length / 2));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
