package dev.heartbeat.file;

import com.fasterxml.jackson.databind.JsonNode;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.StoreProblems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The files of one queue, in {@code tasks/QUEUE/} ({@code QUEUE} and each {@code ID} escaped by
 * {@link FileNames}): {@code ID.json} per task, the commit point of every change to it;
 * {@code INDEX.json}, the {@link TaskIndex}; {@code TOKEN.json} and {@code TOKEN.copy.json}, the
 * queue's token counter, twice, apart from the task files. An escaped id never holds a dot, nor an
 * upper-case letter outside a {@code %XX} escape, so these names cannot be a task's. Every write
 * holds the queue's lock file {@code locks/queue-QUEUE.lock} ({@link #locked}); a task file is
 * read without it (it is replaced atomically). An unreadable file is reported through the store's problems with its path.
 */
final class TaskQueueFiles {
  private static final String JSON = ".json";
  private static final String INDEX = "INDEX.json";
  private static final Set<String> RESERVED = Set.of(INDEX, "TOKEN.json", "TOKEN.copy.json");

  final String queue;
  final Path dir;
  private final Path lockFile;
  private final InstantSource clock;
  private final StoreProblems problems;
  private final Duration lockTimeout;

  TaskQueueFiles(Path root, String queue, InstantSource clock, StoreProblems problems,
      Duration lockTimeout) {
    this.queue = queue;
    String name = FileNames.encode(queue);
    this.dir = root.resolve(Layout.TASKS).resolve(name);
    this.lockFile = root.resolve("locks").resolve("queue-" + name + ".lock");
    this.clock = clock;
    this.problems = problems;
    this.lockTimeout = lockTimeout;
  }

  boolean exists() {
    return Files.isDirectory(dir);
  }

  Path taskFile(String id) {
    return dir.resolve(FileNames.encode(id) + JSON);
  }

  Path indexFile() {
    return dir.resolve(INDEX);
  }

  <T> T locked(FileLocks.Body<T> body) throws IOException {
    return FileLocks.holding(lockFile, lockTimeout, body);
  }

  /** The task of {@code id}: null when there is none, or its file cannot be read (reported). */
  FileTask load(String id) throws IOException {
    try {
      return read(taskFile(id), id);
    } catch (BadRecord e) {
      problems.report(taskFile(id).toString(), e.getMessage());
      return null;
    }
  }

  /**
   * The task in {@code file}, or null when there is none.
   *
   * @param id the id the file must hold, or null for any whose escape is the file's name
   * @throws BadRecord when it cannot be read, or holds another queue's task or another id's
   */
  FileTask read(Path file, String id) throws IOException, BadRecord {
    byte[] content = Durable.readOrNull(file);
    if (content == null) {
      return null;
    }
    TaskView view = TaskJson.task(Json.parse(content));
    if (!view.queue().equals(queue)) {
      throw new BadRecord("a task of queue '" + view.queue() + "', not of '" + queue + "'");
    }
    if (id != null ? !view.id().equals(id) : !taskFile(view.id()).equals(file)) {
      throw new BadRecord("task '" + view.id() + "', whose file is " + taskFile(view.id()));
    }
    return new FileTask(view);
  }

  /** Every readable task of the queue; unreadable files are reported and skipped. */
  List<FileTask> all() throws IOException {
    List<FileTask> out = new ArrayList<>();
    for (Path file : Listing.records(dir, JSON)) {
      if (RESERVED.contains(file.getFileName().toString())) {
        continue;
      }
      try {
        FileTask task = read(file, null);
        if (task != null) {
          out.add(task);
        }
      } catch (BadRecord e) {
        problems.report(file.toString(), e.getMessage());
      }
    }
    return out;
  }

  /** The index, rebuilt from the task files (and written) when it is missing or unreadable. */
  TaskIndex index() throws IOException {
    try {
      byte[] content = Durable.readOrNull(indexFile());
      if (content != null) {
        return TaskIndex.parse(Json.parse(content), queue);
      }
    } catch (BadRecord e) {
      problems.report(indexFile().toString(), e.getMessage() + "; rebuilt from the task files");
    }
    TaskIndex index = new TaskIndex();
    for (FileTask task : all()) {
      index.update(task, false);
      index.lastToken = Math.max(index.lastToken, task.token);
    }
    index.lastToken = Math.max(index.lastToken, counter(index.lastToken, true));
    writeIndex(index);
    return index;
  }

  /**
   * The last token issued in the queue: the highest of both counter copies and {@code known}
   * (the index's). When both copies exist but neither can be read, and the index was lost too
   * (it is being rebuilt: {@code known} comes from the task files only, and pruned tasks' tokens
   * are nowhere), the clock in microseconds stands in: above any token issued one per claim.
   */
  long counter(long known, boolean rebuilding) throws IOException {
    long floor = known;
    int damaged = 0;
    for (Path file : counterFiles()) {
      try {
        byte[] content = Durable.readOrNull(file);
        if (content != null) {
          long token = Json.integer(Json.parse(content), "token");
          if (token < 0) {
            throw new BadRecord("negative token " + token);
          }
          floor = Math.max(floor, token);
        }
      } catch (BadRecord e) {
        problems.report(file.toString(), e.getMessage());
        damaged++;
      }
    }
    if (rebuilding && damaged == counterFiles().size()) {
      floor = Math.max(floor, clock.instant().toEpochMilli() * 1000 - 1);
    }
    return floor;
  }

  void writeCounter(long token) throws IOException {
    for (Path file : counterFiles()) {
      Durable.replace(file, Json.bytes(Json.object().put("queue", queue).put("token", token)));
      problems.repaired(file.toString());
    }
  }

  private List<Path> counterFiles() {
    return List.of(dir.resolve("TOKEN.json"), dir.resolve("TOKEN.copy.json"));
  }

  /**
   * Writes the changed task files and the index that follows from them, in the order that keeps
   * the index's rule ({@link TaskIndex}): an interim index first when {@code after} adds an entry
   * or moves one earlier, then the task files, then {@code after}.
   */
  void save(TaskIndex before, TaskIndex after, Collection<FileTask> changed) throws IOException {
    TaskIndex written = before;
    TaskIndex interim = before.earlier(after);
    if (interim != null) {
      writeIndex(interim);
      written = interim;
    }
    for (FileTask task : changed) {
      writeTask(task);
    }
    if (!after.equals(written)) {
      writeIndex(after);
    }
  }

  /** Writes a task file alone: for a change the index does not see (progress). */
  void writeTask(FileTask task) throws IOException {
    Path file = taskFile(task.id());
    Durable.replace(file, Json.bytes(TaskJson.task(task.view())));
    problems.repaired(file.toString());
  }

  void writeIndex(TaskIndex index) throws IOException {
    Durable.replace(indexFile(), Json.bytes(index.json(queue)));
    problems.repaired(indexFile().toString());
  }

  /** Deletes a task file (a prune). */
  void delete(FileTask task) throws IOException {
    Durable.delete(taskFile(task.id()));
  }

  /** Makes the queue's directory (a first submit); false when the store holds {@code max}. */
  boolean make(int max) throws IOException {
    if (exists()) {
      return true;
    }
    Path tasks = dir.getParent();
    Files.createDirectories(tasks);
    int queues = 0;
    try (var list = Files.newDirectoryStream(tasks, Files::isDirectory)) {
      for (Path ignored : list) {
        if (++queues >= max) {
          return false;
        }
      }
    }
    Files.createDirectories(dir);
    Durable.forceDirectory(tasks);
    Durable.forceDirectory(tasks.getParent());
    return true;
  }
}
