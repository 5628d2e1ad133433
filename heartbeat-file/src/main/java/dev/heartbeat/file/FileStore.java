package dev.heartbeat.file;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Lease;
import dev.heartbeat.ProgressEvent;
import dev.heartbeat.spi.StoreProblems;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.Retention;
import dev.heartbeat.spi.StoreProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * The file store ({@code file:/dir}): every record a readable JSON file in one directory on one
 * machine, shared safely by any number of threads and processes.
 *
 * <h2>Layout</h2>
 * <pre>
 * agents/NAME.json           latest state of an agent, and the tips of its journals
 * history/NAME.GEN.jsonl     its recent beats, one JSON object a line, oldest first
 * events/NAME.GEN.jsonl      its progress events, likewise
 * leases/NAME.json           a lease record (deleted on release)
 * counters/NAME.json         the lease's fencing counter, and counters/NAME.copy.json, a second copy
 * locks/KIND-NAME.lock       empty files that carry the OS locks
 * </pre>
 * {@code NAME} is the id percent-encoded to a portable file name (never the raw id); each file
 * holds its id and a {@code "format"} version. Temporary files ({@code .NAME.RANDOM.tmp}) of writes
 * a crash interrupted are ignored by readers and deleted by the next {@code open} once ten minutes
 * old.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Every file is replaced atomically and durably (temporary file, force, atomic rename,
 *       force the directory); journals are appended and forced, and read only up to the length
 *       the state file committed, so a beat's latest state, history entry and event appear
 *       together or not at all, even across a crash.</li>
 *   <li>Each lease read-compare-write and each agent write holds an exclusive
 *       {@link java.nio.channels.FileChannel#lock() OS file lock} on the record's lock file, so
 *       processes sharing the directory exclude each other; the OS drops the locks of a process
 *       that dies. Expiry is judged by this store's {@link InstantSource}: the machine's clock.
 *       Lock files are never deleted; their channels (and the directories' channels used to
 *       force them) stay open between calls, within a bound, until {@link #close()}. A lock file
 *       deleted from outside is noticed after locking and opened again.</li>
 *   <li>A fencing token is one above the highest token found in either counter copy or the lease
 *       record: damaging one of them never makes a token go back. When none of the three can be
 *       read, the next token is the clock in microseconds.</li>
 *   <li>An unreadable file (empty, cut short, not JSON, wrong types, unknown format) is reported
 *       once through {@link #problems()} with its path and skipped; the next good write of that
 *       record ({@link #register}, {@link #tryAcquire}, a beat) replaces it.</li>
 * </ul>
 * The directory must be on a local file system: network file systems may not honour the locks or
 * atomic renames. Thread-safe. I/O errors throw {@link HeartbeatStoreException}.
 */
public final class FileStore implements HeartbeatStore {
  /** Default number of beats and events kept per agent. */
  public static final int DEFAULT_HISTORY_LIMIT = 1000;
  private static final Duration STALE_TEMPORARY = Duration.ofMinutes(10);
  private static final List<String> DIRECTORIES =
      List.of("agents", "history", "events", "leases", "counters", "locks");

  private final Path dir;
  private final String description;
  private final InstantSource clock;
  private final StoreProblems problems;
  private final AgentFiles agentFiles;
  private final LeaseFiles leaseFiles;

  private FileStore(Path dir, InstantSource clock, int historyLimit) {
    this.dir = dir;
    this.description = "file:" + dir;
    this.clock = clock;
    this.problems = new StoreProblems(description, clock);
    this.agentFiles = new AgentFiles(dir, historyLimit, clock, problems);
    this.leaseFiles = new LeaseFiles(dir, clock, problems);
  }

  /** {@link #open(Path, InstantSource, int)} on the system clock with the default history. */
  public static FileStore open(Path dir) {
    return open(dir, InstantSource.system(), DEFAULT_HISTORY_LIMIT);
  }

  /**
   * Opens the store in {@code dir}, creating the directory if it does not exist.
   *
   * @param clock the clock that stamps records and judges expiry
   * @param historyLimit how many beats and events are kept per agent, at least 1
   * @throws IllegalArgumentException when an argument is null or out of range, or {@code dir}
   *     cannot be created or written, naming the path
   */
  public static FileStore open(Path dir, InstantSource clock, int historyLimit) {
    Checks.notNull("dir", dir);
    Checks.notNull("clock", clock);
    Checks.atLeast("historyLimit", historyLimit, 1);
    Path root = dir.toAbsolutePath().normalize();
    Durable.release(root); // a directory deleted and made again: never force a stale one
    try {
      for (String sub : DIRECTORIES) {
        Files.createDirectories(root.resolve(sub));
        Durable.sweep(root.resolve(sub), STALE_TEMPORARY);
      }
      Path probe = Files.createTempFile(root.resolve("locks"), ".probe", Durable.TEMP_SUFFIX);
      Files.delete(probe);
    } catch (IOException | UnsupportedOperationException e) {
      throw new IllegalArgumentException("dir must be a writable directory, got '" + root
          + "' (" + e + ")", e);
    }
    return new FileStore(root, clock, historyLimit);
  }

  /** The directory of this store. */
  public Path directory() {
    return dir;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public Heartbeat register(Beat first) {
    Checks.notNull("first", first);
    return io("register(" + first.agentId() + ")", () -> agentFiles.store(first, true))
        .orElseThrow();
  }

  @Override
  public Optional<Heartbeat> record(Beat beat) {
    Checks.notNull("beat", beat);
    return io("record(" + beat.agentId() + ")", () -> agentFiles.store(beat, false));
  }

  @Override
  public Optional<Heartbeat> agent(String agentId) {
    return io("agent(" + agentId + ")", () -> agentFiles.agent(Checks.id("agentId", agentId)));
  }

  @Override
  public List<Heartbeat> agents() {
    return io("agents()", agentFiles::agents);
  }

  @Override
  public List<Heartbeat> history(String agentId, int limit) {
    return io("history(" + agentId + ")",
        () -> agentFiles.history(Checks.id("agentId", agentId), limit));
  }

  @Override
  public List<ProgressEvent> events(String agentId, int limit) {
    return io("events(" + agentId + ")",
        () -> agentFiles.events(Checks.id("agentId", agentId), limit));
  }

  @Override
  public long prune(Retention retention) {
    Checks.notNull("retention", retention);
    return io("prune()", () -> agentFiles.prune(retention));
  }

  @Override
  public Optional<Lease> tryAcquire(String name, String holder, Duration ttl) {
    Checks.id("name", name);
    Checks.id("holder", holder);
    Checks.positive("ttl", ttl);
    return io("tryAcquire(" + name + ")", () -> leaseFiles.tryAcquire(name, holder, ttl));
  }

  @Override
  public Optional<Lease> renew(String name, String holder, long token, Duration ttl) {
    Checks.id("name", name);
    Checks.id("holder", holder);
    Checks.positive("ttl", ttl);
    return io("renew(" + name + ")", () -> leaseFiles.renew(name, holder, token, ttl));
  }

  @Override
  public boolean release(String name, String holder, long token) {
    Checks.id("name", name);
    Checks.id("holder", holder);
    return io("release(" + name + ")", () -> leaseFiles.release(name, holder, token));
  }

  @Override
  public Optional<Lease> lease(String name) {
    return io("lease(" + name + ")", () -> leaseFiles.lease(Checks.id("name", name)));
  }

  @Override
  public List<Lease> leases() {
    return io("leases()", leaseFiles::leases);
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public List<StoreProblem> problems() {
    return problems.list();
  }

  /**
   * Closes the lock-file and directory channels kept open for this directory. Idempotent; no OS
   * lock is held between calls, so nothing is given up that another process waits for.
   */
  @Override
  public void close() {
    // idempotent; another store of this directory in this JVM opens them again when it needs them
    FileLocks.release(dir);
    Durable.release(dir);
  }

  AgentFiles agentFiles() {
    return agentFiles;
  }

  LeaseFiles leaseFiles() {
    return leaseFiles;
  }

  private <T> T io(String operation, FileLocks.Body<T> body) {
    try {
      return body.run();
    } catch (IOException | UncheckedIOException e) {
      throw new HeartbeatStoreException(description, operation, e);
    }
  }
}
