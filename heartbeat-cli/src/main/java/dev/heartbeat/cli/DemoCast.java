package dev.heartbeat.cli;

import dev.heartbeat.monitor.Snapshot;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The names of one demo run. On a store of its own (the default temporary directory, or
 * {@code memory:}) they are plain; on a store given by the user they carry a random run prefix,
 * so that the demo never touches records of anyone else.
 *
 * @param prefix empty, or {@code demo-<random>-}
 */
record DemoCast(String prefix) {
  static final int SIZE = 3;

  static DemoCast plain() {
    return new DemoCast("");
  }

  static DemoCast prefixed() {
    return new DemoCast("demo-" + HexFormat.of().toHexDigits(
        (short) ThreadLocalRandom.current().nextInt()) + "-");
  }

  String lease() {
    return prefix + "orchestrator";
  }

  String candidate(int i) {
    return prefix + "candidate-" + i;
  }

  String worker(int i) {
    return prefix + "worker-" + i;
  }

  static String task(int i) {
    return "task-" + i;
  }

  List<String> workers() {
    return List.of(worker(1), worker(2), worker(3));
  }

  /** The snapshot limited to this run's agents and lease. */
  Snapshot only(Snapshot s) {
    return new Snapshot(s.store(), s.storeTime(), s.rule(),
        s.agents().stream().filter(a -> workers().contains(a.id())).toList(),
        s.leases().stream().filter(l -> l.name().equals(lease())).toList(), s.problems());
  }
}
