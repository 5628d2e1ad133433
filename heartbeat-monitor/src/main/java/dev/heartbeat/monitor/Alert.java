package dev.heartbeat.monitor;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One alert as Alertmanager's v2 API takes it: labels identify it, annotations carry the
 * evidence; {@code resolvedAt} is set once the condition is over.
 *
 * @param labels the identifying labels, sorted
 * @param annotations the evidence
 * @param startsAt when the condition began (local wall clock)
 * @param resolvedAt when it ended, empty while firing
 * @param generatorUrl the monitor page, empty when none runs
 */
record Alert(SortedMap<String, String> labels, Map<String, String> annotations, Instant startsAt,
    Optional<Instant> resolvedAt, Optional<String> generatorUrl) {
  /** Alertmanager's rule for a label name. */
  static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  Alert {
    labels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    annotations = Map.copyOf(annotations);
  }

  /**
   * Checks user labels against {@link #LABEL_NAME}.
   *
   * @param parameter the parameter named in the error
   * @param labels the labels
   * @return a sorted copy
   */
  static SortedMap<String, String> checkLabels(String parameter, Map<String, String> labels) {
    SortedMap<String, String> copy = new TreeMap<>();
    labels.forEach((k, v) -> {
      if (k == null || !LABEL_NAME.matcher(k).matches()) {
        throw new IllegalArgumentException(parameter + ": label name must match "
            + LABEL_NAME.pattern() + ", got " + k);
      }
      if (v == null || v.isEmpty()) {
        throw new IllegalArgumentException(parameter + ": label " + k
            + " needs a non-empty value, got " + v);
      }
      copy.put(k, v);
    });
    return copy;
  }

  boolean firing() {
    return resolvedAt.isEmpty();
  }

  String name() {
    return labels.get("alertname");
  }

  Alert resolve(Instant at) {
    return new Alert(labels, annotations, startsAt, Optional.of(at), generatorUrl);
  }
}
