package dev.heartbeat.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Which alerts are due, as Prometheus sends them: a new alert, or one that changed between
 * firing and resolved, at once; every alert again each {@code resendInterval}, a firing one with
 * {@code endsAt = now + 4 × resendInterval}, a resolved one with {@code endsAt} its resolution;
 * and all of them when asked (a process that has just become the sender). Remembers when each
 * alert was last sent, forgetting those the rules no longer hold, so it is bounded by them. For
 * one thread.
 */
final class AlertSchedule {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Duration resend;
  /** Per alert: when last sent (nanos) and whether it was firing then. */
  private final Map<SortedMap<String, String>, long[]> lastSent = new HashMap<>();

  AlertSchedule(Duration resend) {
    this.resend = resend;
  }

  /**
   * The batch due now, a JSON array for {@code POST /api/v2/alerts}.
   *
   * @param alerts every alert the rules hold
   * @param nanos the monotonic clock now
   * @param now the wall clock now
   * @param all whether every alert is due, whenever it was last sent
   * @return the batch, empty when nothing is due
   */
  Optional<String> due(List<Alert> alerts, long nanos, Instant now, boolean all) {
    lastSent.keySet().retainAll(alerts.stream().map(Alert::labels).toList());
    ArrayNode batch = JSON.createArrayNode();
    for (Alert a : alerts) {
      long[] last = lastSent.get(a.labels());
      boolean firing = a.firing();
      if (all || last == null || (last[1] == 1) != firing
          || nanos - last[0] >= resend.toNanos()) {
        batch.add(json(a, now));
        lastSent.put(a.labels(), new long[] {nanos, firing ? 1 : 0});
      }
    }
    return batch.isEmpty() ? Optional.empty() : Optional.of(batch.toString());
  }

  private ObjectNode json(Alert a, Instant now) {
    ObjectNode o = JSON.createObjectNode();
    ObjectNode labels = o.putObject("labels");
    a.labels().forEach(labels::put);
    ObjectNode ann = o.putObject("annotations");
    a.annotations().forEach(ann::put);
    o.put("startsAt", a.startsAt().toString());
    o.put("endsAt", a.resolvedAt().orElse(now.plus(resend.multipliedBy(4))).toString());
    a.generatorUrl().ifPresent(u -> o.put("generatorURL", u));
    return o;
  }
}
