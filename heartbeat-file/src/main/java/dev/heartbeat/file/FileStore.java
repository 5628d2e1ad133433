package dev.heartbeat.file;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Lease;
import dev.heartbeat.ProgressEvent;
import dev.heartbeat.StoreNotFoundException;
import dev.heartbeat.spi.StoreProblems;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.Retention;
import dev.heartbeat.spi.StoreProblem;
import dev.heartbeat.spi.TaskStore;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
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
 * tasks/QUEUE/ID.json        a task: its spec, state, claim and attempts ({@link #tasks()})
 * tasks/QUEUE/INDEX.json     the queue's live tasks with their due times and claim expiries
 * tasks/QUEUE/TOKEN.json     the queue's token counter, and TOKEN.copy.json, a second copy
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
 *   <li>Each lease read-compare-write and each agent write holds an exclusive OS file lock on
 *       the record's lock file, so processes sharing the directory exclude each other; the OS
 *       drops the locks of a process that dies. A lock held by a frozen process is waited for up
 *       to the {@linkplain Builder#lockTimeout lock timeout}, then the call fails naming the lock
 *       file; the wait polls, and is not fair to a caller among others that lock one record in
 *       tight loops. Locks are keyed by the directory's real path, so one directory opened through a
 *       symbolic link and through its target excludes itself too. Lock files stay, except that
 *       {@link #forget} deletes the agent's; their channels (and the directories' channels used
 *       to force them) stay open between calls, within a bound, until {@link #close()}. A lock
 *       file deleted from outside is noticed after locking and opened again.</li>
 *   <li>Nothing goes back in time: under the agent's lock, a beat of another incarnation, with a
 *       sequence not above the stored one, or after {@code LEFT}, changes nothing.</li>
 *   <li>Expiry is judged by this store's {@link InstantSource}, the machine's wall clock by
 *       default, never by a caller's monotonic clock: every process that shares the directory
 *       reads the same clock. Only the wait for a lock is measured on
 *       {@link System#nanoTime()}. A record renewed after the store's now shows that the clock
 *       went back: its TTL is counted from now, so a step back delays a crashed holder's takeover
 *       by at most one TTL. A step forward cannot be told from time passing (a suspend): terms
 *       end early by the step in every process's eyes; see the README on clocks.</li>
 *   <li>A fencing token is one above the highest token found in either counter copy or the lease
 *       record: damaging one of them never makes a token go back. When none of the three can be
 *       read, the next token is the clock in microseconds.</li>
 *   <li>An unreadable file (empty, cut short, not JSON, wrong types, unknown format, or not a
 *       file at all, such as a directory named like a record) is reported once through
 *       {@link #problems()} with its path and skipped; the next good write of that record
 *       ({@link #register}, {@link #tryAcquire}, a beat) replaces it.</li>
 *   <li>A subdirectory that is missing (the directory was deleted and made again under a live
 *       store) is made again by the next call that needs it.</li>
 *   <li>Tasks ({@link #tasks()}): every write of a queue holds the queue's lock file, so claims,
 *       renewals and ends are atomic across threads and processes; the task file is the commit
 *       point, and the queue's index, which spares a claim reading every task file, never hides a
 *       claimable task across a crash (it is rebuilt from the task files when missing or
 *       unreadable). Tokens come from the queue's counter, kept twice beside the index's copy:
 *       they grow across prune and re-submission.</li>
 * </ul>
 * The directory must be on a local file system: network file systems may not honour the locks or
 * atomic renames. Thread-safe. I/O errors throw {@link HeartbeatStoreException}.
 */
public final class FileStore implements HeartbeatStore {
  /** Default number of beats and events kept per agent. */
  public static final int DEFAULT_HISTORY_LIMIT = 1000;
  /** Default longest wait for a record's lock: 5 seconds, half the engine's call timeout. */
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(5);

  private final Path dir;
  private final String description;
  private final InstantSource clock;
  private final StoreProblems problems;
  private final AgentFiles agentFiles;
  private final LeaseFiles leaseFiles;
  private final FileTaskStore tasks;

  private FileStore(Path dir, String description, InstantSource clock, int historyLimit,
      Duration lockTimeout, int maxTasks) {
    this.dir = dir;
    this.description = description;
    this.clock = clock;
    this.problems = new StoreProblems(description, clock);
    this.agentFiles = new AgentFiles(dir, historyLimit, clock, problems, lockTimeout);
    this.leaseFiles = new LeaseFiles(dir, clock, problems, lockTimeout);
    this.tasks = new FileTaskStore(this, clock, problems, lockTimeout, maxTasks);
  }

  /**
   * {@link #open(Path, InstantSource, int)} on the system clock with the default history.
   *
   * @param dir the directory
   * @return the open store
   */
  public static FileStore open(Path dir) {
    return builder(dir).build();
  }

  /**
   * Opens the store in {@code dir}, creating the directory if it does not exist; the
   * {@linkplain #DEFAULT_LOCK_TIMEOUT default lock timeout}.
   *
   * @param clock the clock that stamps records and judges expiry
   * @param historyLimit how many beats and events are kept per agent, at least 1
   * @param dir the directory
   * @return the open store
   * @throws IllegalArgumentException when an argument is null or out of range, or {@code dir}
   *     is empty or the root of a file system, or cannot be created or written, naming the path
   */
  public static FileStore open(Path dir, InstantSource clock, int historyLimit) {
    return builder(dir).clock(clock).historyLimit(historyLimit).build();
  }

  /**
   * A builder of a store in {@code dir}, for settings other than the defaults.
   *
   * @param dir the store's directory
   * @return a builder with the default settings
   * @throws IllegalArgumentException when {@code dir} is null or the empty path (what
   *     {@code Path.of("" + dir)} gives when {@code dir} is unset: the working directory by
   *     accident; pass {@code Path.of(".")} to mean it)
   */
  public static Builder builder(Path dir) {
    Checks.notNull("dir", dir);
    if (dir.toString().isEmpty()) {
      throw new IllegalArgumentException("dir must not be the empty path, got '': name a"
          + " directory such as /var/lib/heartbeat (or \".\" for the working directory)");
    }
    return new Builder(dir);
  }

  /**
   * Settings of a file store: the clock, the history limit and the lock timeout. Not thread-safe;
   * each {@code build} opens a new store.
   */
  public static final class Builder {
    private final Path dir;
    private InstantSource clock = InstantSource.system();
    private int historyLimit = DEFAULT_HISTORY_LIMIT;
    private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
    private int maxTasks = FileTaskStore.DEFAULT_MAX_TASKS;

    private Builder(Path dir) {
      this.dir = dir;
    }

    /**
     * The clock that stamps records and judges expiry; the system clock by default (the
     * machine's wall clock: every process sharing the directory must read the same clock; a
     * record stamped ahead of a store's clock is taken for a step back of it, and its TTL is
     * counted from that store's now).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(InstantSource clock) {
      this.clock = Checks.notNull("clock", clock);
      return this;
    }

    /**
     * How many beats and events are kept per agent, at least 1; 1000 by default.
     *
     * @param historyLimit how many beats and events are kept per agent, at least 1
     * @return this builder
     */
    public Builder historyLimit(int historyLimit) {
      Checks.atLeast("historyLimit", historyLimit, 1);
      this.historyLimit = historyLimit;
      return this;
    }

    /**
     * The longest a call waits for a record's lock, held by another thread or process (one that
     * is frozen, or stuck on a hung disk); then the call fails with a
     * {@link HeartbeatStoreException} naming the lock file. {@link #DEFAULT_LOCK_TIMEOUT} by
     * default; keep it below the engine's call timeout. In a URI: {@code ?lockTimeout=2s}.
     *
     * @param lockTimeout the longest a call waits for a record's lock, held by another thread or
     *     process (one that is frozen, or stuck on a hung disk)
     * @return this builder
     */
    public Builder lockTimeout(Duration lockTimeout) {
      this.lockTimeout = Checks.positive("lockTimeout", lockTimeout);
      return this;
    }

    /** The most tasks one queue holds (100,000 by default); for tests that reach the bound. */
    Builder maxTasks(int maxTasks) {
      Checks.atLeast("maxTasks", maxTasks, 1);
      this.maxTasks = maxTasks;
      return this;
    }

    /**
     * Opens the store, creating the directory and its layout when they do not exist, and deleting
     * temporary files that crashed writes left more than ten minutes ago.
     *
     * @return the open store
     * @throws IllegalArgumentException when the directory is the root of a file system, or
     *     cannot be created or written, naming the path
     */
    public FileStore build() {
      Path given = Layout.absolute(dir);
      Layout.Made made;
      try {
        made = Layout.make(given);
      } catch (IOException | UnsupportedOperationException e) {
        throw new IllegalArgumentException("dir must be a writable directory, got '" + given
            + "' (" + e + ")", e);
      }
      FileStore store = new FileStore(made.root(), "file:" + given, clock, historyLimit,
          lockTimeout, maxTasks);
      if (made.countersLost()) {
        store.io("open", () -> {
          store.leaseFiles.countersLost();
          return null;
        });
      }
      return store;
    }

    /**
     * Opens a store that must already exist, creating nothing and writing nothing on open: for
     * tools that only read. The directory need not be writable.
     *
     * @return the open store
     * @throws StoreNotFoundException when the directory, or any of its six subdirectories, is
     *     missing
     * @throws IllegalArgumentException when the directory is the root of a file system
     */
    public FileStore buildExisting() {
      Path given = Layout.absolute(dir);
      String store = "file:" + given;
      try {
        return new FileStore(Layout.existing(given, store), store, clock, historyLimit,
            lockTimeout, maxTasks);
      } catch (IOException e) {
        throw new HeartbeatStoreException(store, "open", e);
      }
    }
  }

  /**
   * The directory of this store, as its real path (symbolic links resolved): what its locks are
   * keyed by.
   *
   * @return the directory of this store, as its real path (symbolic links resolved): what its locks
   *     are keyed by
   */
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

  /** Each beat as {@link #record}, and one sync of the agents' directory for the batch. */
  @Override
  public List<Optional<Heartbeat>> recordAll(List<Beat> beats) {
    Checks.notNull("beats", beats);
    for (int i = 0; i < beats.size(); i++) {
      Checks.notNull("beats[" + i + "]", beats.get(i));
    }
    return io("recordAll(" + beats.size() + " beats)", () -> agentFiles.storeAll(beats));
  }

  @Override
  public Optional<Heartbeat> agent(String agentId) {
    Checks.id("agentId", agentId);
    return io("agent(" + agentId + ")", () -> agentFiles.agent(agentId));
  }

  @Override
  public List<Heartbeat> agents() {
    return io("agents()", agentFiles::agents);
  }

  @Override
  public List<Heartbeat> history(String agentId, int limit) {
    Checks.id("agentId", agentId);
    return io("history(" + agentId + ")", () -> agentFiles.history(agentId, limit));
  }

  @Override
  public List<ProgressEvent> events(String agentId, int limit) {
    Checks.id("agentId", agentId);
    return io("events(" + agentId + ")", () -> agentFiles.events(agentId, limit));
  }

  @Override
  public long prune(Retention retention) {
    Checks.notNull("retention", retention);
    return io("prune()", () -> agentFiles.prune(retention));
  }

  /**
   * Forgets an agent under its lock: its state file first, then its journals, then its lock
   * file, which is only deleted by a holder of its lock and where the file system has file keys
   * (so a process waiting on the deleted file notices and locks the new one).
   */
  @Override
  public boolean forget(String agentId) {
    Checks.id("agentId", agentId);
    return io("forget(" + agentId + ")", () -> agentFiles.forget(agentId));
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
    Checks.id("name", name);
    return io("lease(" + name + ")", () -> leaseFiles.lease(name));
  }

  @Override
  public List<Lease> leases() {
    return io("leases()", leaseFiles::leases);
  }

  /**
   * The store's tasks, in {@code tasks/}: a directory per queue, a JSON file per task, under the
   * queue's OS file lock, so that threads and processes sharing the directory claim each task
   * once. See the README's Tasks section for what is kept where.
   *
   * @return the store's tasks, always present
   */
  @Override
  public Optional<TaskStore> tasks() {
    return Optional.of(tasks);
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

  /**
   * Runs one operation; every failure, checked or not (an {@code OverlappingFileLockException}
   * from NIO included), leaves as a {@link HeartbeatStoreException}. A file missing because a
   * subdirectory is gone (the directory was deleted and made again) makes the layout again and
   * runs the operation once more: each operation is safe to repeat after a failure, as after a
   * crash.
   */
  <T> T io(String operation, FileLocks.Body<T> body) {
    try {
      try {
        return body.run();
      } catch (NoSuchFileException e) {
        if (!Layout.remake(dir, e, leaseFiles::countersLost)) {
          throw e;
        }
        return body.run();
      }
    } catch (HeartbeatStoreException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new HeartbeatStoreException(description, operation, e);
    }
  }
}
