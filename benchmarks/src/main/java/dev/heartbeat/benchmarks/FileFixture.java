package dev.heartbeat.benchmarks;

import dev.heartbeat.Lease;
import dev.heartbeat.file.FileStore;
import dev.heartbeat.spi.HeartbeatStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The file store in a fresh temporary directory. Its baseline is the raw durable write the store
 * is built on, on the same disk: write a temporary file of the same size as a lease record,
 * {@code fsync} it, rename it over the target, {@code fsync} the directory. No lock, no read.
 */
final class FileFixture implements Fixture {
  private final Path dir;
  private final Path rawDir;
  private final FileStore store;

  FileFixture(String tag) throws IOException {
    Path base = Path.of(System.getProperty("hb.bench.dir", System.getProperty("java.io.tmpdir")));
    this.dir = Files.createTempDirectory(base, tag + "-");
    this.rawDir = Files.createDirectories(dir.resolve("raw"));
    this.store = FileStore.open(dir.resolve("store"));
  }

  @Override
  public HeartbeatStore store() {
    return store;
  }

  @Override
  public boolean rawRenew(Lease lease, Duration ttl) throws IOException {
    Instant now = Instant.now();
    String json = "{\"format\":1,\"name\":\"" + lease.name() + "\",\"holder\":\"" + lease.holder()
        + "\",\"token\":" + lease.token() + ",\"acquiredAt\":\"" + lease.acquiredAt()
        + "\",\"renewedAt\":\"" + now + "\",\"expiresAt\":\"" + now.plus(ttl)
        + "\",\"transitions\":" + lease.transitions() + "}";
    Path target = rawDir.resolve(lease.name() + ".json");
    Path temp = rawDir.resolve("." + lease.name() + "." + Thread.currentThread().threadId()
        + ".tmp");
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(true);
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel d = FileChannel.open(rawDir, StandardOpenOption.READ)) {
      d.force(true);
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    store.close();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
