package dev.heartbeat.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.Lease;
import dev.heartbeat.spi.StoreProblem;
import java.time.Duration;
import java.time.Instant;

/**
 * The JSON document of {@code heartbeat status --json} and of the monitor's {@code GET /status}, format {@value #FORMAT}. Fields are
 * only ever added within one format version; a removal or change of meaning gets a new version.
 * Instants are ISO-8601 UTC strings on the store's clock; durations are whole milliseconds.
 *
 * <pre>
 * format        "heartbeat-status/1"
 * store         the store URI as printed (credentials masked)
 * storeTime     the store's clock when the document was read
 * rule          how agent states were judged
 * healthy       at least one agent or lease, every agent ALIVE or LEFT, every lease held, no
 *               unreadable record
 * exitCode      0 healthy, 1 degraded, 2 store unreachable, 4 no store there (nothing was
 *               created) or an empty one
 * error         only when the store is unreachable or missing: why (then agents and leases
 *               are empty)
 * agents[]      by id:
 *   id, state (ALIVE|SUSPECT|DEAD|STALLED|LEFT), status (IDLE|WORKING|LEFT), incarnation,
 *   sequence, task (or null), progress (or null), lastBeatAt, lastBeatAgeMillis,
 *   progressAt (or null), progressAgeMillis (or null), intervalMillis (the agent's own, else
 *   observed, or null),
 *   nextBeatInMillis (negative when overdue, or null), successRate (0..1 or null),
 *   cpu (0..1 or null)
 * leases[]      by name:
 *   name, holder, token, acquiredAt, renewedAt, expiresAt, ageMillis, expiresInMillis
 *   (negative when expired), held, transitions
 * problems[]    records the store could not read: location, problem, seenAt
 * </pre>
 */
public final class StatusJson {
  /** The format and its version. */
  public static final String FORMAT = "heartbeat-status/1";
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** {@code exitCode}: healthy. */
  public static final int OK = 0;
  /** {@code exitCode}: something is degraded. */
  public static final int DEGRADED = 1;
  /** {@code exitCode}: the store cannot be reached. */
  public static final int UNREACHABLE = 2;
  /** {@code exitCode}: no store there, or an empty one. */
  public static final int MISSING = 4;

  private StatusJson() {}

  /**
   * The document of a snapshot.
   *
   * @param s the snapshot
   * @return the document, indented
   */
  public static String of(Snapshot s) {
    ObjectNode root = header(s.store(), s.exitCode() == OK, s.exitCode());
    root.put("storeTime", s.storeTime().toString());
    root.put("rule", s.rule());
    ArrayNode agents = root.putArray("agents");
    for (AgentRow a : s.agents()) {
      agent(agents.addObject(), a);
    }
    ArrayNode leases = root.putArray("leases");
    for (LeaseView l : s.leases()) {
      lease(leases.addObject(), l);
    }
    ArrayNode problems = root.putArray("problems");
    for (StoreProblem p : s.problems()) {
      problems.addObject().put("location", p.location()).put("problem", p.problem())
          .put("seenAt", p.seenAt().toString());
    }
    return write(root);
  }

  /**
   * The document when the store cannot be read: unreachable or missing ({@code exitCode}).
   *
   * @param store the store, as printed
   * @param error why it cannot be read
   * @param exitCode {@link #UNREACHABLE} or {@link #MISSING}
   * @return the document, indented
   */
  public static String failed(String store, String error, int exitCode) {
    ObjectNode root = header(store, false, exitCode);
    root.put("error", error);
    root.putArray("agents");
    root.putArray("leases");
    root.putArray("problems");
    return write(root);
  }

  private static ObjectNode header(String store, boolean healthy, int exitCode) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("store", store);
    root.put("healthy", healthy);
    root.put("exitCode", exitCode);
    return root;
  }

  private static void agent(ObjectNode o, AgentRow a) {
    Heartbeat h = a.record();
    o.put("id", h.agentId());
    o.put("state", a.state().name());
    o.put("status", h.status().name());
    o.put("incarnation", h.incarnation());
    o.put("sequence", h.sequence());
    o.put("task", h.taskId().orElse(null));
    o.put("progress", h.progress().orElse(null));
    o.put("lastBeatAt", h.at().toString());
    o.put("lastBeatAgeMillis", a.lastBeatAge().toMillis());
    o.put("progressAt", instant(h.progressAt().orElse(null)));
    o.put("progressAgeMillis", millis(a.progressAge()));
    o.put("intervalMillis", millis(a.interval()));
    o.put("nextBeatInMillis", millis(a.nextBeatIn()));
    o.put("successRate", a.successRate());
    o.put("cpu", h.cpu().isPresent() ? h.cpu().getAsDouble() : null);
  }

  private static void lease(ObjectNode o, LeaseView v) {
    Lease l = v.lease();
    o.put("name", l.name());
    o.put("holder", l.holder());
    o.put("token", l.token());
    o.put("acquiredAt", l.acquiredAt().toString());
    o.put("renewedAt", l.renewedAt().toString());
    o.put("expiresAt", l.expiresAt().toString());
    o.put("ageMillis", v.age().toMillis());
    o.put("expiresInMillis", v.expiresIn().toMillis());
    o.put("held", v.held());
    o.put("transitions", l.transitions());
  }

  private static String instant(Instant i) {
    return i == null ? null : i.toString();
  }

  private static Long millis(Duration d) {
    return d == null ? null : d.toMillis();
  }

  private static String write(ObjectNode root) {
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the status document", e);
    }
  }
}
