package dev.heartbeat.cli;

/** A member of the demo as the demo drives it: a child JVM, or a thread when it must be. */
interface DemoNode extends AutoCloseable {

  /** The agent or candidate id. */
  String id();

  /** Stops its progress; it keeps beating. */
  void stall();

  /** Kills it abruptly: no leave, no release (SIGKILL for a process). */
  void kill();

  /** Stops it gracefully and waits for it, bounded by {@link DemoTiming#NODE_STOP}. */
  @Override
  void close();
}
