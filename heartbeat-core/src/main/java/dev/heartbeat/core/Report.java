package dev.heartbeat.core;

import dev.heartbeat.AgentStatus;

/**
 * What an agent last said about itself; {@code version} grows with every change of task or
 * progress, so the engine knows which beats carry new progress.
 */
record Report(String taskId, AgentStatus status, String progress, long version) {
  static final Report IDLE = new Report(null, AgentStatus.IDLE, null, 0);

  Report working(String newTask, String newProgress) {
    return new Report(newTask, AgentStatus.WORKING, newProgress, version + 1);
  }

  Report progressed(String newProgress) {
    return new Report(taskId, status, newProgress, version + 1);
  }

  Report idle() {
    return new Report(null, AgentStatus.IDLE, null, version + 1);
  }
}
