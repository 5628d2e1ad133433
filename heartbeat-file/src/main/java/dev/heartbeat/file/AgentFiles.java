package dev.heartbeat.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.ProgressEvent;
import dev.heartbeat.file.Journal.Tip;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.Retention;
import dev.heartbeat.spi.StoreProblems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Agents on disk. {@code agents/NAME.json} is the latest state and the commit point of a beat;
 * {@code history/NAME.GEN.jsonl} and {@code events/NAME.GEN.jsonl} are journals read only up to
 * the tips that the state file records. A beat appends to the journals first (forced), then
 * replaces the state file atomically: a crash in between leaves bytes past the tips that no reader
 * sees and that the next beat cuts off, so latest state, history and event change together or not
 * at all. Writes of one agent hold its lock file, across processes; reads take no lock.
 */
final class AgentFiles {
  private static final String JSON = ".json";
  private static final int READ_ATTEMPTS = 3;

  /** A parsed state file. */
  record State(Heartbeat latest, Tip history, Tip events) {}

  /** Reads one record from a parsed JSON line. */
  interface Parser<T> {
    T parse(JsonNode node) throws BadRecord;
  }

  private final Path agents;
  private final Path locks;
  private final Journal history;
  private final Journal events;
  private final int limit;
  private final InstantSource clock;
  private final StoreProblems problems;
  private final Duration lockTimeout;
  /** Journals that held bad lines when read: rewritten clean by the next beat. */
  private final Set<Path> damaged = ConcurrentHashMap.newKeySet();

  AgentFiles(Path root, int limit, InstantSource clock, StoreProblems problems,
      Duration lockTimeout) {
    this.agents = root.resolve("agents");
    this.locks = root.resolve("locks");
    this.history = new Journal(root.resolve("history"), limit);
    this.events = new Journal(root.resolve("events"), limit);
    this.limit = limit;
    this.clock = clock;
    this.problems = problems;
    this.lockTimeout = lockTimeout;
  }

  Path stateFile(String agentId) {
    return agents.resolve(FileNames.encode(agentId) + JSON);
  }

  /** The history journal the agent's state points at now. */
  Path historyFile(String agentId) throws IOException {
    return history.file(FileNames.encode(agentId), tips(agentId).history());
  }

  /** The events journal the agent's state points at now. */
  Path eventsFile(String agentId) throws IOException {
    return events.file(FileNames.encode(agentId), tips(agentId).events());
  }

  /**
   * Stores a beat; {@code register} also accepts an unknown or unreadable agent. A beat that is
   * not the newest changes nothing and gets the stored state back: another incarnation's, one
   * whose sequence is not above the stored one, one after {@code LEFT}; for {@code register},
   * only a late one of the same incarnation.
   */
  Optional<Heartbeat> store(Beat beat, boolean register) throws IOException {
    Written written = store(beat, register, true);
    return written.answer();
  }

  /**
   * Many beats, each as {@link #store} with {@code register} false and each atomic under its own
   * lock, and then one sync of the agents' directory for every rename of the batch: a batch
   * forces the directory once instead of once per beat, and returns only once its beats are
   * durable.
   */
  List<Optional<Heartbeat>> storeAll(List<Beat> beats) throws IOException {
    List<Optional<Heartbeat>> out = new ArrayList<>(beats.size());
    boolean wrote = false;
    try {
      for (Beat beat : beats) {
        Written written = store(beat, false, false);
        wrote |= written.wrote();
        out.add(written.answer());
      }
    } finally {
      if (wrote) {
        Durable.forceDirectory(agents);
      }
    }
    return out;
  }

  /** What a beat answers, and whether it renamed a state file. */
  private record Written(Optional<Heartbeat> answer, boolean wrote) {}

  private Written store(Beat beat, boolean register, boolean syncDirectory) throws IOException {
    String name = FileNames.encode(beat.agentId());
    return FileLocks.holding(lockFile(name), lockTimeout, () -> {
      Path file = agents.resolve(name + JSON);
      State previous = load(file);
      if (previous == null && !register) {
        return new Written(Optional.empty(), false);
      }
      if (previous != null && stale(previous.latest(), beat, register)) {
        return new Written(Optional.of(previous.latest()), false);
      }
      State tips = previous != null ? previous : fresh(file, name);
      Instant now = clock.instant();
      boolean sameRun = previous != null
          && previous.latest().incarnation().equals(beat.incarnation());
      Optional<Instant> progressAt = beat.newProgress() ? Optional.of(now)
          : sameRun ? previous.latest().progressAt() : Optional.empty();
      Heartbeat stored = new Heartbeat(beat.agentId(), beat.incarnation(), beat.sequence(),
          beat.taskId(), beat.status(), beat.cpu(), beat.progress(), progressAt, now,
          beat.interval());
      Tip h = append(history, name, tips.history(), Json.line(Records.heartbeat(stored)),
          Records::heartbeat);
      Tip e = tips.events();
      if (beat.newProgress()) {
        e = append(events, name, e, Json.line(Records.event(new ProgressEvent(beat.agentId(),
            beat.incarnation(), beat.sequence(), beat.taskId(), beat.progress(), now))),
            Records::event);
      }
      commit(file, stored, h, e, syncDirectory);
      history.discard(name, tips.history(), h);
      events.discard(name, tips.events(), e);
      return new Written(Optional.of(stored), true);
    });
  }

  private static boolean stale(Heartbeat stored, Beat beat, boolean register) {
    boolean sameRun = stored.incarnation().equals(beat.incarnation());
    if (register) {
      return sameRun && stored.sequence() >= beat.sequence();
    }
    return !sameRun || stored.sequence() >= beat.sequence() || stored.status() == AgentStatus.LEFT;
  }

  /**
   * The journal tips of an agent without a readable state: recovered from its journals when the
   * state file is there but damaged; when it is absent, a new start, with the journals left by a
   * {@link #forget} or a first registration that a crash cut short deleted first.
   */
  private State fresh(Path file, String name) throws IOException {
    if (Files.exists(file)) {
      return new State(null, history.recover(name), events.recover(name));
    }
    history.deleteAll(name);
    events.deleteAll(name);
    return new State(null, Tip.EMPTY, Tip.EMPTY);
  }

  /**
   * Forgets an agent under its lock: the state file first (after it, no reader sees the agent),
   * then every generation of both journals, then the lock file itself (see
   * {@link FileLocks#holding(Path, Duration, boolean, Body)} for why that is safe).
   *
   * @return whether there was a state file, readable or not
   */
  boolean forget(String agentId) throws IOException {
    String name = FileNames.encode(agentId);
    Path file = agents.resolve(name + JSON);
    return FileLocks.holding(lockFile(name), lockTimeout, true, () -> {
      boolean known = Durable.delete(file);
      problems.repaired(file.toString());
      List<Path> journals = new ArrayList<>(history.deleteAll(name));
      journals.addAll(events.deleteAll(name));
      for (Path journal : journals) {
        damaged.remove(journal);
        problems.repaired(journal.toString());
      }
      return known;
    });
  }

  private void commit(Path file, Heartbeat latest, Tip h, Tip e, boolean syncDirectory)
      throws IOException {
    ObjectNode state = Records.heartbeat(latest);
    state.set("history", tip(h));
    state.set("events", tip(e));
    Durable.replace(file, Json.bytes(state), syncDirectory);
    problems.repaired(file.toString());
  }

  private <T> Tip append(Journal journal, String name, Tip tip, byte[] line, Parser<T> parser)
      throws IOException {
    Path old = journal.file(name, tip);
    Tip next = journal.append(name, tip, line, damaged.remove(old), l -> parses(l, parser));
    if (next.gen() != tip.gen()) {
      problems.repaired(old.toString());
    }
    return next;
  }

  private static <T> boolean parses(byte[] line, Parser<T> parser) {
    try {
      parser.parse(Json.parse(line));
      return true;
    } catch (BadRecord e) {
      return false;
    }
  }

  /** The latest state, or empty when unknown or unreadable (reported). */
  Optional<Heartbeat> agent(String agentId) throws IOException {
    return Optional.ofNullable(load(stateFile(agentId))).map(State::latest);
  }

  /** Every readable agent, by id. */
  List<Heartbeat> agents() throws IOException {
    List<Heartbeat> out = new ArrayList<>();
    for (Path file : Listing.records(agents, JSON)) {
      State state = load(file);
      if (state != null) {
        out.add(state.latest());
      }
    }
    out.sort(Comparator.comparing(Heartbeat::agentId));
    return out;
  }

  List<Heartbeat> history(String agentId, int max) throws IOException {
    return newest(history, agentId, State::history, max, Records::heartbeat);
  }

  List<ProgressEvent> events(String agentId, int max) throws IOException {
    return newest(events, agentId, State::events, max, Records::event);
  }

  /** The newest {@code max} readable records (at most the limit), newest first. */
  private <T> List<T> newest(Journal journal, String agentId, Function<State, Tip> which,
      int max, Parser<T> parser) throws IOException {
    String name = FileNames.encode(agentId);
    Tip tip = which.apply(tips(agentId));
    Journal.Read read = journal.read(name, tip);
    for (int attempt = 1; read.missing() && attempt < READ_ATTEMPTS; attempt++) {
      tip = which.apply(tips(agentId)); // a concurrent rewrite replaced the generation
      read = journal.read(name, tip);
    }
    Path file = journal.file(name, tip);
    if (read.missing() || read.truncated()) {
      problems.report(file.toString(), read.missing() ? "journal is missing" : "journal is cut short");
      damaged.add(file);
    }
    List<byte[]> lines = read.lines();
    List<T> out = new ArrayList<>();
    int n = Math.min(Math.max(0, max), limit);
    for (int i = lines.size() - 1; i >= 0 && out.size() < n; i--) {
      try {
        out.add(parser.parse(Json.parse(lines.get(i))));
      } catch (BadRecord e) {
        problems.report(file.toString(), "line " + (i + 1) + ": " + e.getMessage());
        damaged.add(file);
      }
    }
    return out;
  }

  /** The agent's journal tips, recovered from disk when its state file is unreadable. */
  private State tips(String agentId) throws IOException {
    Path file = stateFile(agentId);
    State state = load(file);
    if (state != null || !Files.exists(file)) {
      return state != null ? state : new State(null, Tip.EMPTY, Tip.EMPTY);
    }
    String name = FileNames.encode(agentId);
    return new State(null, history.recover(name), events.recover(name));
  }

  /**
   * Prunes both journals of every agent to {@code retention}, one agent at a time under its lock.
   * Counts the visible entries removed (entries past the limit were already invisible).
   */
  long prune(Retention retention) throws IOException {
    Instant cutoff = clock.instant().minus(retention.maxAge());
    long removed = 0;
    for (Path file : Listing.records(agents, JSON)) {
      String name = Listing.stem(file, JSON);
      removed += FileLocks.holding(lockFile(name), lockTimeout, () -> {
        State state = load(file);
        if (state == null) {
          return 0L;
        }
        long[] count = new long[1];
        Tip h = pruned(history, name, state.history(), retention.keepLast(), count,
            l -> Records.heartbeat(l).at().isBefore(cutoff));
        Tip e = pruned(events, name, state.events(), retention.keepLast(), count,
            l -> Records.event(l).at().isBefore(cutoff));
        if (h != state.history() || e != state.events()) {
          commit(file, state.latest(), h, e, true);
          history.discard(name, state.history(), h);
          events.discard(name, state.events(), e);
        }
        return count[0];
      });
    }
    return removed;
  }

  private Tip pruned(Journal journal, String name, Tip tip, int keepLast, long[] removed,
      Parser<Boolean> old) throws IOException {
    List<byte[]> lines = journal.read(name, tip).lines();
    List<byte[]> kept = new ArrayList<>();
    int visible = 0;
    for (int i = lines.size() - 1; i >= 0 && visible < limit; i--) {
      boolean drop;
      try {
        drop = visible >= keepLast || old.parse(Json.parse(lines.get(i)));
      } catch (BadRecord e) {
        continue;
      }
      visible++;
      if (drop) {
        removed[0]++;
      } else {
        kept.add(0, lines.get(i));
      }
    }
    if (kept.size() == tip.lines()) {
      return tip;
    }
    return journal.write(name, tip.gen() + 1, kept);
  }

  /** Reads a state file; {@code null} when missing or unreadable (reported). */
  private State load(Path file) throws IOException {
    try {
      byte[] content = Durable.readOrNull(file);
      if (content == null) {
        return null;
      }
      JsonNode node = Json.parse(content);
      return new State(Records.heartbeat(node), tip(node.get("history")), tip(node.get("events")));
    } catch (BadRecord e) {
      problems.report(file.toString(), e.getMessage());
      return null;
    }
  }

  private Path lockFile(String name) {
    return locks.resolve("agent-" + name + ".lock");
  }

  private static ObjectNode tip(Tip tip) {
    return Json.nested().put("gen", tip.gen()).put("bytes", tip.bytes()).put("lines", tip.lines());
  }

  private static Tip tip(JsonNode node) throws BadRecord {
    if (node == null || !node.isObject()) {
      throw new BadRecord("missing journal tip");
    }
    long gen = Json.integer(node, "gen");
    long bytes = Json.integer(node, "bytes");
    long lines = Json.integer(node, "lines");
    if (gen < 0 || bytes < 0 || lines < 0 || bytes > Integer.MAX_VALUE) {
      throw new BadRecord("bad journal tip " + node);
    }
    return new Tip(gen, bytes, lines);
  }
}
