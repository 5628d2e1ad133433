package dev.heartbeat.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.Lease;
import dev.heartbeat.ProgressEvent;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalDouble;

/** JSON forms of the stored records; reading is strict and throws {@link BadRecord}. */
final class Records {
  private Records() {}

  static ObjectNode heartbeat(Heartbeat h) {
    ObjectNode node = Json.object()
        .put("agentId", h.agentId())
        .put("incarnation", h.incarnation())
        .put("sequence", h.sequence())
        .put("taskId", h.taskId().orElse(null))
        .put("status", h.status().name())
        .put("cpu", h.cpu().orElse(-1)) // -1: unknown, as records of every version say it
        .put("progress", h.progress().orElse(null));
    Json.put(node, "progressAt", h.progressAt().orElse(null));
    h.interval().ifPresent(i -> node.put("interval", i.toString()));
    return Json.put(node, "at", h.at());
  }

  static Heartbeat heartbeat(JsonNode node) throws BadRecord {
    String status = Json.text(node, "status");
    try {
      return new Heartbeat(Json.text(node, "agentId"), Json.text(node, "incarnation"),
          Json.integer(node, "sequence"), Optional.ofNullable(Json.optionalText(node, "taskId")),
          AgentStatus.valueOf(status), cpu(Json.number(node, "cpu")),
          Optional.ofNullable(Json.optionalText(node, "progress")),
          Optional.ofNullable(Json.optionalInstant(node, "progressAt")), Json.instant(node, "at"),
          interval(node));
    } catch (IllegalArgumentException e) {
      throw new BadRecord("not a heartbeat: " + e.getMessage(), e);
    }
  }

  /** A stored CPU utilisation: a negative one (written as -1) is unknown. */
  static OptionalDouble cpu(double stored) {
    return stored < 0 ? OptionalDouble.empty() : OptionalDouble.of(stored);
  }

  /** The beat's interval; absent in a record written before beats carried it. */
  private static Optional<Duration> interval(JsonNode node) throws BadRecord {
    String text = Json.optionalText(node, "interval");
    if (text == null) {
      return Optional.empty();
    }
    Duration interval;
    try {
      interval = Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new BadRecord("field 'interval' is not a duration: '" + text + "'", e);
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new BadRecord("field 'interval' is not positive: '" + text + "'");
    }
    return Optional.of(interval);
  }

  static ObjectNode event(ProgressEvent e) {
    ObjectNode node = Json.object()
        .put("agentId", e.agentId())
        .put("incarnation", e.incarnation())
        .put("sequence", e.sequence())
        .put("taskId", e.taskId().orElse(null))
        .put("progress", e.progress().orElse(null));
    return Json.put(node, "at", e.at());
  }

  static ProgressEvent event(JsonNode node) throws BadRecord {
    try {
      return new ProgressEvent(Json.text(node, "agentId"), Json.text(node, "incarnation"),
          Json.integer(node, "sequence"), Optional.ofNullable(Json.optionalText(node, "taskId")),
          Optional.ofNullable(Json.optionalText(node, "progress")), Json.instant(node, "at"));
    } catch (IllegalArgumentException e) {
      throw new BadRecord("not a progress event: " + e.getMessage(), e);
    }
  }

  static ObjectNode lease(Lease l) {
    ObjectNode node = Json.object()
        .put("name", l.name())
        .put("holder", l.holder())
        .put("token", l.token());
    Json.put(node, "acquiredAt", l.acquiredAt());
    Json.put(node, "renewedAt", l.renewedAt());
    Json.put(node, "expiresAt", l.expiresAt());
    return node.put("transitions", l.transitions());
  }

  static Lease lease(JsonNode node) throws BadRecord {
    try {
      return new Lease(Json.text(node, "name"), Json.text(node, "holder"),
          Json.integer(node, "token"), Json.instant(node, "acquiredAt"),
          Json.instant(node, "renewedAt"), Json.instant(node, "expiresAt"),
          Json.integer(node, "transitions"));
    } catch (IllegalArgumentException e) {
      throw new BadRecord("not a lease: " + e.getMessage(), e);
    }
  }

  /**
   * The fencing counter of one lease: the last token issued, the number of hand-overs, and the
   * longest TTL ever granted for the name (how long an unreadable record of it counts as held).
   */
  record Counter(long token, long transitions, Duration longestTtl) {
    static final Counter ZERO = new Counter(0, 0, Duration.ZERO);

    Counter max(Counter other) {
      return new Counter(Math.max(token, other.token), Math.max(transitions, other.transitions),
          longestTtl.compareTo(other.longestTtl) >= 0 ? longestTtl : other.longestTtl);
    }
  }

  static ObjectNode counter(String name, Counter c) {
    return Json.object().put("name", name).put("token", c.token()).put("transitions",
        c.transitions()).put("longestTtl", c.longestTtl().toString());
  }

  /** A counter; one written before the longest TTL was kept reads as zero there. */
  static Counter counter(JsonNode node) throws BadRecord {
    long token = Json.integer(node, "token");
    long transitions = Json.integer(node, "transitions");
    if (token < 0 || transitions < 0) {
      throw new BadRecord("negative counter: token " + token + ", transitions " + transitions);
    }
    String ttl = Json.optionalText(node, "longestTtl");
    Duration longest;
    try {
      longest = ttl == null ? Duration.ZERO : Duration.parse(ttl);
    } catch (DateTimeParseException e) {
      throw new BadRecord("field 'longestTtl' is not a duration: '" + ttl + "'", e);
    }
    if (longest.isNegative()) {
      throw new BadRecord("negative longestTtl " + ttl);
    }
    return new Counter(token, transitions, longest);
  }
}
