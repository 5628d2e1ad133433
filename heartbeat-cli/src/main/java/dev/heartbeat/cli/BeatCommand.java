package dev.heartbeat.cli;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.Checks;
import dev.heartbeat.spi.HeartbeatStore;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code heartbeat beat}: one heartbeat of a registered agent. What is not given (task, status,
 * progress) stays as stored. The beat is a run of its own, incarnation {@value #INCARNATION}
 * with its own sequence, so it never collides with the beats of the agent's process: the first
 * CLI beat of an agent registers that incarnation (the detector sees a restart), later ones
 * continue it through {@link HeartbeatStore#record}. A process still running as the agent
 * registers its own incarnation again with its next beat. An agent the store does not know, or
 * that has left, is refused (exit 3): agents register through the library. The store must exist:
 * nothing is created (exit 4).
 */
@Command(name = "beat", mixinStandardHelpOptions = true,
    description = "Send one heartbeat of a registered agent and print the stored record.")
final class BeatCommand implements Callable<Integer> {
  /** The incarnation of beats sent by this command. */
  static final String INCARNATION = "cli";

  private final Cli cli;

  @Mixin
  StoreOption store;

  @Option(names = "--agent", required = true, paramLabel = "ID", description = "The agent.")
  String agent;

  @Option(names = "--task", paramLabel = "T", description = "The task it works on (status "
      + "becomes WORKING unless --status says otherwise).")
  String task;

  @Option(names = "--status", paramLabel = "S",
      description = "IDLE, WORKING or LEFT. Default: WORKING with --task, else as stored.")
  AgentStatus status;

  @Option(names = "--progress", paramLabel = "TEXT", description = "Progress text; a change "
      + "of progress or task is recorded as a progress event.")
  String progress;

  BeatCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    StoreUri uri = store.resolve(cli, "beat");
    try {
      Checks.id("--agent", agent);
      Checks.optionalId("--task", task);
      Checks.text("--progress", progress);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.USAGE, e.getMessage());
    }
    try (HeartbeatStore opened = uri.openExisting()) {
      Heartbeat current = opened.agent(agent).orElseThrow(() -> unknown(uri));
      Beat beat = next(current);
      Heartbeat h = continues(current) ? opened.record(beat).orElseThrow(() -> unknown(uri))
          : opened.register(beat);
      if (!h.incarnation().equals(beat.incarnation()) || h.sequence() != beat.sequence()) {
        cli.err().println("beat: a newer beat of " + agent + " was stored meanwhile; this one "
            + "changed nothing");
      }
      print(h);
      return ExitCodes.OK;
    } catch (HeartbeatStoreException e) {
      throw uri.unreachable(e);
    }
  }

  /** The beat to send, validated; a bad value is a usage error naming it. */
  Beat next(Heartbeat current) {
    if (current.status() == AgentStatus.LEFT) {
      throw new CliFailure(ExitCodes.UNKNOWN_AGENT, "agent '" + agent + "' has left (its "
          + "HeartbeatAgent was closed): a beat cannot revive that incarnation; start the agent "
          + "again");
    }
    AgentStatus s = status != null ? status : task != null ? AgentStatus.WORKING
        : current.status();
    if (s == AgentStatus.IDLE && task != null) {
      throw new CliFailure(ExitCodes.USAGE, "--task needs --status WORKING, got --status IDLE");
    }
    Optional<String> t = s == AgentStatus.IDLE ? Optional.empty()
        : task != null ? Optional.of(task) : current.taskId();
    Optional<String> p = progress != null ? Optional.of(progress)
        : t.equals(current.taskId()) ? current.progress() : Optional.empty();
    // a new run starts with its progress; a continued one records progress only when it changed
    boolean changed = !t.equals(current.taskId()) || !p.equals(current.progress())
        || !continues(current) && p.isPresent();
    long sequence = continues(current) ? current.sequence() + 1 : 1;
    try {
      // one-shot: no CPU reading of the agent's process, no schedule that follows
      return new Beat(current.agentId(), INCARNATION, sequence, t, s, OptionalDouble.empty(), p,
          changed, Optional.empty());
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.USAGE, e.getMessage());
    }
  }

  /** Whether the stored state is already this command's run. */
  private static boolean continues(Heartbeat current) {
    return current.incarnation().equals(INCARNATION);
  }

  private CliFailure unknown(StoreUri uri) {
    return new CliFailure(ExitCodes.UNKNOWN_AGENT, "agent '" + agent + "' is unknown to "
        + uri.shown() + ": an agent registers with the first beat of its HeartbeatAgent; "
        + "beat only continues a registered agent");
  }

  private void print(Heartbeat h) {
    var out = cli.out();
    out.println("stored beat of " + h.agentId());
    out.println("  incarnation  " + h.incarnation());
    out.println("  sequence     " + h.sequence());
    out.println("  status       " + h.status());
    out.println("  task         " + h.taskId().orElse("-"));
    out.println("  progress     " + h.progress().orElse("-"));
    out.println("  progress at  " + h.progressAt().map(Object::toString).orElse("-"));
    out.println("  at           " + h.at());
    out.println("  cpu          " + (h.cpu().isPresent() ? h.cpu().getAsDouble() : "-"));
  }
}
