package dev.heartbeat.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.heartbeat.Heartbeats;
import java.util.Map;
import java.util.TreeMap;

/**
 * The monitor's {@code GET /detector} document: the running detector's state of every agent it
 * follows ({@code states}), and its bounds. The dashboard starts from it and follows the
 * {@code agent} events.
 */
final class DetectorJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private DetectorJson() {}

  static String of(Heartbeats hb) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("hardTimeoutMillis", hb.detector().config().hardTimeout().toMillis());
    root.put("suspicionGraceMillis", hb.detector().config().suspicionGrace().toMillis());
    ObjectNode states = root.putObject("states");
    new TreeMap<>(Map.copyOf(hb.detector().states())).forEach((id, s) -> states.put(id, s.name()));
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the detector document", e);
    }
  }
}
