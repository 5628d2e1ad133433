package dev.heartbeat.cli;

import dev.heartbeat.monitor.Snapshot;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the demo prints. On a terminal: the live table redrawn in place with the latest events
 * under it. Elsewhere (a pipe, a file, a test): each event as a line when it happens, and the
 * table at the moments that matter.
 */
final class DemoScreen {
  private static final int EVENTS_SHOWN = 14;
  private final Cli cli;
  private final long start = System.nanoTime();
  private final Deque<String> events = new ArrayDeque<>();
  private String header = "";

  DemoScreen(Cli cli) {
    this.cli = cli;
  }

  boolean live() {
    return cli.ansi().enabled();
  }

  /** Seconds since the demo started, as printed. */
  String clock() {
    return String.format(Locale.ROOT, "[%5.1fs]", (System.nanoTime() - start) / 1e9);
  }

  void header(String text) {
    header = header + text + "\n";
    if (!live()) {
      cli.out().println(text);
      cli.out().flush();
    }
  }

  void say(String text) {
    String line = clock() + " " + text;
    events.addLast(line);
    while (events.size() > EVENTS_SHOWN) {
      events.removeFirst();
    }
    if (!live()) {
      cli.out().println(line);
      cli.out().flush();
    }
  }

  /** The table: redrawn on a terminal at every refresh; printed elsewhere when {@code force}. */
  void table(Snapshot s, Set<String> changed, boolean force) {
    if (live()) {
      StringBuilder b = new StringBuilder(Ansi.HOME_CLEAR).append(header).append('\n')
          .append(StatusTable.render(s, changed, cli.ansi())).append('\n');
      events.forEach(e -> b.append(e).append('\n'));
      cli.out().print(b);
      cli.out().flush();
    } else if (force) {
      cli.out().print(StatusTable.render(s, Set.of(), cli.ansi()));
      cli.out().flush();
    }
  }

  /** Lines after the live part: printed as they are everywhere. */
  void plain(String text) {
    cli.out().println(text);
    cli.out().flush();
  }

  /** Events for every change between two snapshots' keys. */
  void changes(Map<String, String> before, Map<String, String> after) {
    if (before == null) {
      return;
    }
    new TreeMap<>(after).forEach((k, v) -> {
      String old = before.get(k);
      if (!v.equals(old)) {
        say(what(k) + ": " + (old == null ? "" : old + " -> ") + v);
      }
    });
    new TreeMap<>(before).forEach((k, v) -> {
      if (!after.containsKey(k)) {
        say(what(k) + ": " + v + " -> released");
      }
    });
  }

  private static String what(String key) {
    return key.startsWith("agent:") ? key.substring(6) : "lease " + key.substring(6);
  }
}
