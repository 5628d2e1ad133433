package dev.heartbeat.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heartbeat.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The small per-queue index that spares a claim reading every task file ({@code INDEX.json} in
 * the queue's directory): one entry per live task ({@code INBOX} with its due time,
 * {@code IN_PROGRESS} with its claim's expiry, and its creation for the order), the number of
 * final tasks (for the queue's bound), and the last token issued in the queue (a third copy of
 * the token counter). It only ever names candidates: a claim reads each candidate's file, which
 * decides, and corrects an entry the file contradicts.
 *
 * <p>The rule that keeps it safe across a crash between two writes: for every live task, the
 * entry's time is never later than the time the task becomes claimable. A write that adds an
 * entry or moves one earlier writes the index before the task file; every other write writes it
 * after ({@link TaskQueueFiles#save}). So a crash leaves at worst an entry too early (the claim
 * reads the file and skips it), or one for a task file never written (dropped), never a claimable
 * task the index does not name. Mutable; used under the queue's lock only.
 */
final class TaskIndex {
  /** One live task: its state, when it becomes claimable, and when it was created. */
  record Entry(String id, TaskState state, Instant at, Instant createdAt) {}

  private static final Comparator<Entry> ORDER = Comparator.comparing(Entry::at)
      .thenComparing(Entry::createdAt).thenComparing(Entry::id);

  long lastToken;
  long finals;
  private final Map<String, Entry> entries;

  TaskIndex() {
    this(0, 0, new HashMap<>());
  }

  private TaskIndex(long lastToken, long finals, Map<String, Entry> entries) {
    this.lastToken = lastToken;
    this.finals = finals;
    this.entries = entries;
  }

  TaskIndex copy() {
    return new TaskIndex(lastToken, finals, new HashMap<>(entries));
  }

  /** The entry of a task file: null for a final task. */
  static Entry entry(FileTask task) {
    return task.live() ? new Entry(task.id(), task.state, task.claimableSince(), task.createdAt)
        : null;
  }

  Entry get(String id) {
    return entries.get(id);
  }

  /** How many tasks the queue holds, as far as the index knows. */
  long size() {
    return entries.size() + finals;
  }

  /** The entries claimable by {@code now}, oldest claimable first. */
  List<Entry> due(Instant now) {
    List<Entry> due = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (!e.at().isAfter(now)) {
        due.add(e);
      }
    }
    due.sort(ORDER);
    return due;
  }

  /**
   * Records what a task file now holds; {@code existed} says whether the file held the task
   * before (else it is new), so that the index knows whether it counted it among the finals.
   */
  void update(FileTask task, boolean existed) {
    boolean countedFinal = existed && !entries.containsKey(task.id());
    Entry entry = entry(task);
    if (entry != null) {
      entries.put(task.id(), entry);
      if (countedFinal) {
        finals = Math.max(0, finals - 1);
      }
    } else {
      entries.remove(task.id());
      if (!countedFinal) {
        finals++;
      }
    }
  }

  /** Forgets an entry whose task file is gone (a submit that crashed before it). */
  void drop(String id) {
    entries.remove(id);
  }

  /** Counts {@code n} final tasks deleted by a prune. */
  void pruned(int n) {
    finals = Math.max(0, finals - n);
  }

  /**
   * This index with the entries of {@code after} that are new or earlier than here: what must be
   * on disk before the task files of a write (see the class comment).
   *
   * @return null when there is none: the index can wait until after the task files
   */
  TaskIndex earlier(TaskIndex after) {
    TaskIndex interim = null;
    for (Entry e : after.entries.values()) {
      Entry old = entries.get(e.id());
      if (old == null || e.at().isBefore(old.at())) {
        if (interim == null) {
          interim = copy();
          interim.lastToken = Math.max(lastToken, after.lastToken);
        }
        interim.entries.put(e.id(), e);
      }
    }
    return interim;
  }

  ObjectNode json(String queue) {
    ObjectNode node = Json.object().put("queue", queue).put("lastToken", lastToken)
        .put("finals", finals);
    ArrayNode list = node.putArray("tasks");
    for (Entry e : entries.values().stream().sorted(ORDER).toList()) {
      ObjectNode item = list.addObject().put("id", e.id()).put("state", e.state().name());
      Json.put(item, "at", e.at());
      Json.put(item, "createdAt", e.createdAt());
    }
    return node;
  }

  static TaskIndex parse(JsonNode node, String queue) throws BadRecord {
    String stored = Json.text(node, "queue");
    if (!stored.equals(queue)) {
      throw new BadRecord("the index of queue '" + stored + "', not of '" + queue + "'");
    }
    long lastToken = Json.integer(node, "lastToken");
    long finals = Json.integer(node, "finals");
    JsonNode list = node.get("tasks");
    if (lastToken < 0 || finals < 0 || list == null || !list.isArray()) {
      throw new BadRecord("needs lastToken and finals at least 0 and an array 'tasks'");
    }
    Map<String, Entry> entries = new HashMap<>();
    for (JsonNode item : list) {
      String state = Json.text(item, "state");
      if (!state.equals(TaskState.INBOX.name()) && !state.equals(TaskState.IN_PROGRESS.name())) {
        throw new BadRecord("an entry in state '" + state + "': only INBOX and IN_PROGRESS");
      }
      Entry e = new Entry(Json.text(item, "id"), TaskState.valueOf(state),
          Json.instant(item, "at"), Json.instant(item, "createdAt"));
      entries.put(e.id(), e);
    }
    return new TaskIndex(lastToken, finals, entries);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskIndex other && lastToken == other.lastToken
        && finals == other.finals && entries.equals(other.entries);
  }

  @Override
  public int hashCode() {
    return Objects.hash(lastToken, finals, entries);
  }
}
