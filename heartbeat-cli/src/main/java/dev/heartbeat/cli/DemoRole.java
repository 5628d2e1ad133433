package dev.heartbeat.cli;

/** What a node of the demo does. */
enum DemoRole {
  /** Campaigns for the orchestrator lease. */
  CANDIDATE,
  /** Beats and makes progress on a task. */
  WORKER
}
