package dev.heartbeat.cli;

import dev.heartbeat.AgentState;

/** ANSI styling, or none at all when output is not a terminal. */
record Ansi(boolean enabled) {
  static final String RESET = "\u001b[0m";
  static final String BOLD = "\u001b[1m";
  static final String REVERSE = "\u001b[7m";
  static final String RED = "\u001b[31m";
  static final String GREEN = "\u001b[32m";
  static final String YELLOW = "\u001b[33m";
  static final String MAGENTA = "\u001b[35m";
  static final String DIM = "\u001b[2m";
  /** Cursor home and clear screen: redraw in place. */
  static final String HOME_CLEAR = "\u001b[H\u001b[2J";

  /**
   * Styling for standard output: on when it is a terminal ({@code Console.isTerminal()} on
   * JDK 22+, where a console exists even when output is redirected), unless {@code NO_COLOR} is
   * set or {@code TERM} is {@code dumb}.
   */
  static Ansi forStdout(java.util.Map<String, String> env) {
    java.io.Console console = System.console();
    boolean terminal = false;
    if (console != null) {
      try {
        terminal = (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
      } catch (NoSuchMethodException e) {
        terminal = true; // JDK 21: a console exists only when both streams are a terminal
      } catch (ReflectiveOperationException | ClassCastException e) {
        terminal = false;
      }
    }
    return new Ansi(terminal && env.get("NO_COLOR") == null && !"dumb".equals(env.get("TERM")));
  }

  String style(String code, String text) {
    return enabled ? code + text + RESET : text;
  }

  String state(AgentState state, String text) {
    return style(switch (state) {
      case ALIVE -> GREEN;
      case SUSPECT -> YELLOW;
      case DEAD -> RED;
      case STALLED -> MAGENTA;
      case LEFT -> DIM;
    }, text);
  }

  /** A changed row: reverse video, or a {@code *} marker without ANSI. */
  String changed(String row) {
    return enabled ? REVERSE + row + RESET : row;
  }
}
