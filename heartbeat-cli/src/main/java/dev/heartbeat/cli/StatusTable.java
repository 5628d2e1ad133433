package dev.heartbeat.cli;

import dev.heartbeat.AgentState;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.Lease;
import dev.heartbeat.monitor.AgentRow;
import dev.heartbeat.monitor.LeaseView;
import dev.heartbeat.monitor.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The text form of a {@link Snapshot}: an agents table, a leases table and a verdict. Rows whose
 * key is in {@code changed} ({@code agent:ID}, {@code lease:NAME}) are marked with {@code *} and,
 * with ANSI, shown in reverse video; states are coloured.
 */
final class StatusTable {
  private static final int PROGRESS_WIDTH = 24;

  private StatusTable() {}

  static String render(Snapshot s, Set<String> changed, Ansi ansi) {
    StringBuilder out = new StringBuilder();
    out.append("store ").append(s.store()).append("   store time ").append(s.storeTime())
        .append('\n').append("states by ").append(s.rule()).append('\n');
    List<String[]> agents = new ArrayList<>();
    agents.add(new String[] {"", "AGENT", "STATE", "STATUS", "TASK", "PROGRESS", "LAST BEAT",
        "NEXT BEAT", "SUCCESS", "CPU"});
    for (AgentRow a : s.agents()) {
      Heartbeat h = a.record();
      agents.add(new String[] {mark(changed, "agent:" + a.id()), a.id(), a.state().name(),
          h.status().name(), h.taskId().orElse("-"), h.progress().map(StatusTable::cut).orElse("-"),
          Durations.format(a.lastBeatAge()) + " ago", due(a), percent(a.successRate()),
          h.cpu().isPresent() ? percent(h.cpu().getAsDouble()) : "-"});
    }
    if (s.agents().isEmpty()) {
      out.append("no agents\n");
    } else {
      table(out, agents, ansi, 2, rowStates(s));
    }
    List<String[]> leases = new ArrayList<>();
    leases.add(new String[] {"", "LEASE", "HOLDER", "TOKEN", "AGE", "EXPIRES IN", "HELD",
        "TRANSITIONS"});
    for (LeaseView v : s.leases()) {
      Lease l = v.lease();
      leases.add(new String[] {mark(changed, "lease:" + l.name()), l.name(), l.holder(),
          Long.toString(l.token()), Durations.format(v.age()), Durations.format(v.expiresIn()),
          v.held() ? "yes" : "EXPIRED", Long.toString(l.transitions())});
    }
    if (s.leases().isEmpty()) {
      out.append("no leases\n");
    } else {
      table(out, leases, ansi, -1, List.of());
    }
    for (var p : s.problems()) {
      out.append("unreadable: ").append(p.location()).append(": ").append(p.problem())
          .append('\n');
    }
    out.append(ansi.style(s.healthy() ? Ansi.GREEN : Ansi.YELLOW, s.verdict())).append('\n');
    return out.toString();
  }

  private static List<AgentState> rowStates(Snapshot s) {
    return s.agents().stream().map(AgentRow::state).toList();
  }

  private static void table(StringBuilder out, List<String[]> rows, Ansi ansi, int stateColumn,
      List<AgentState> states) {
    int[] width = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        String cell = i == row.length - 1 ? row[i] : pad(row[i], width[i]);
        if (r > 0 && i == stateColumn) {
          cell = ansi.state(states.get(r - 1), cell);
        }
        line.append(cell).append(i == row.length - 1 ? "" : i == 0 ? " " : "  ");
      }
      String text = line.toString().stripTrailing();
      out.append(r > 0 && row[0].equals("*") ? ansi.changed(text)
          : r == 0 ? ansi.style(Ansi.BOLD, text) : text).append('\n');
    }
  }

  private static String mark(Set<String> changed, String key) {
    return changed.contains(key) ? "*" : " ";
  }

  private static String due(AgentRow a) {
    if (a.nextBeatIn() == null) {
      return "-";
    }
    return a.nextBeatIn().isNegative() ? "overdue " + Durations.format(a.nextBeatIn().negated())
        : "in " + Durations.format(a.nextBeatIn());
  }

  private static String percent(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.0f%%", value * 100);
  }

  private static String cut(String s) {
    String flat = s.replaceAll("\\s+", " ");
    return flat.length() <= PROGRESS_WIDTH ? flat : flat.substring(0, PROGRESS_WIDTH - 1) + "~";
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
