package dev.heartbeat.grpc;

import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.ProgressEvent;
import dev.heartbeat.grpc.v1.AgentRecord;
import dev.heartbeat.grpc.v1.BeatRequest;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.Checks;
import java.util.Optional;
import java.util.OptionalDouble;

/** Beats, agent records, progress events and detector changes to and from their messages. */
final class AgentProtos {
  private AgentProtos() {}

  /** The agent a request names, refused naming {@code agent_id} when it is not an id. */
  static String agentId(String agentId) {
    return Checks.id("agent_id", agentId);
  }

  static BeatRequest of(Beat b) {
    BeatRequest.Builder m = BeatRequest.newBuilder()
        .setAgentId(Times.required("agentId", b.agentId()))
        .setIncarnation(b.incarnation()).setSequence(b.sequence())
        .setStatus(status(b.status())).setNewProgress(b.newProgress());
    b.taskId().ifPresent(m::setTaskId);
    b.progress().ifPresent(m::setProgress);
    b.cpu().ifPresent(m::setCpuUtil);
    b.interval().ifPresent(i -> m.setInterval(Times.of(i)));
    return m.build();
  }

  /**
   * The beat a request carries, checked field by field first, so that a bad one is refused
   * naming the field as the .proto spells it ({@code agent_id must not be blank, got ''}).
   */
  static Beat beat(BeatRequest m) {
    Checks.id("agent_id", m.getAgentId());
    Checks.id("incarnation", m.getIncarnation());
    Checks.atLeast("sequence", m.getSequence(), 0);
    if (m.hasTaskId()) {
      Checks.id("task_id", m.getTaskId());
    }
    if (m.hasCpuUtil()) {
      Checks.cpu("cpu_util", OptionalDouble.of(m.getCpuUtil()));
    }
    if (m.hasProgress()) {
      Checks.text("progress", m.getProgress());
    }
    if (m.hasInterval()) {
      Checks.positive("interval", Times.duration(m.getInterval()));
    }
    return new Beat(m.getAgentId(), m.getIncarnation(), m.getSequence(),
        m.hasTaskId() ? Optional.of(m.getTaskId()) : Optional.empty(), status(m.getStatus()),
        m.hasCpuUtil() ? OptionalDouble.of(m.getCpuUtil()) : OptionalDouble.empty(),
        m.hasProgress() ? Optional.of(m.getProgress()) : Optional.empty(), m.getNewProgress(),
        Times.duration(m.hasInterval(), m.getInterval()));
  }

  static AgentRecord of(Heartbeat h) {
    AgentRecord.Builder m = AgentRecord.newBuilder().setAgentId(h.agentId())
        .setIncarnation(h.incarnation()).setSequence(h.sequence()).setStatus(status(h.status()))
        .setAt(Times.of(h.at()));
    h.taskId().ifPresent(m::setTaskId);
    h.cpu().ifPresent(m::setCpuUtil);
    h.progress().ifPresent(m::setProgress);
    h.progressAt().ifPresent(p -> m.setProgressAt(Times.of(p)));
    h.interval().ifPresent(i -> m.setInterval(Times.of(i)));
    return m.build();
  }

  static Heartbeat heartbeat(AgentRecord m) {
    return new Heartbeat(m.getAgentId(), m.getIncarnation(), m.getSequence(),
        m.hasTaskId() ? Optional.of(m.getTaskId()) : Optional.empty(), status(m.getStatus()),
        m.hasCpuUtil() ? OptionalDouble.of(m.getCpuUtil()) : OptionalDouble.empty(),
        m.hasProgress() ? Optional.of(m.getProgress()) : Optional.empty(),
        Times.instant(m.hasProgressAt(), m.getProgressAt()), Times.instant(m.getAt()),
        Times.duration(m.hasInterval(), m.getInterval()));
  }

  static dev.heartbeat.grpc.v1.ProgressEvent of(ProgressEvent e) {
    dev.heartbeat.grpc.v1.ProgressEvent.Builder m = dev.heartbeat.grpc.v1.ProgressEvent
        .newBuilder().setAgentId(e.agentId()).setIncarnation(e.incarnation())
        .setSequence(e.sequence()).setAt(Times.of(e.at()));
    e.taskId().ifPresent(m::setTaskId);
    e.progress().ifPresent(m::setProgress);
    return m.build();
  }

  static ProgressEvent event(dev.heartbeat.grpc.v1.ProgressEvent m) {
    return new ProgressEvent(m.getAgentId(), m.getIncarnation(), m.getSequence(),
        m.hasTaskId() ? Optional.of(m.getTaskId()) : Optional.empty(),
        m.hasProgress() ? Optional.of(m.getProgress()) : Optional.empty(),
        Times.instant(m.getAt()));
  }

  static dev.heartbeat.grpc.v1.AgentChange of(AgentChange c) {
    return dev.heartbeat.grpc.v1.AgentChange.newBuilder().setAgentId(c.agentId())
        .setIncarnation(c.incarnation() == null ? "" : c.incarnation())
        .setFrom(c.from().toString()).setTo(c.to().toString()).setKind(c.kind().name())
        .setRecovery(c.recovery() == null ? "" : c.recovery().name())
        .setLastBeatAge(Times.of(c.evidence().lastBeatAge())).setPhi(c.evidence().phi())
        .setAt(Times.of(c.at())).build();
  }

  static dev.heartbeat.grpc.v1.AgentStatus status(AgentStatus s) {
    if (s == null) {
      throw new IllegalArgumentException("status must not be null");
    }
    return dev.heartbeat.grpc.v1.AgentStatus.valueOf(s.name());
  }

  static AgentStatus status(dev.heartbeat.grpc.v1.AgentStatus s) {
    if (s == dev.heartbeat.grpc.v1.AgentStatus.AGENT_STATUS_UNSPECIFIED
        || s == dev.heartbeat.grpc.v1.AgentStatus.UNRECOGNIZED) {
      throw new IllegalArgumentException("status must be IDLE, WORKING or LEFT, got " + s);
    }
    return AgentStatus.valueOf(s.name());
  }
}
