package dev.heartbeat.cli;

import picocli.CommandLine.Command;

/** The root command: only its subcommands do anything. */
@Command(name = "heartbeat", mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Liveness, leader leases and stalls of the agents in a heartbeat store.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:done; status: every agent alive (or left) and every lease held",
        "1:status: something is degraded; demo: the failover was not observed",
        "2:the store cannot be reached",
        "3:beat, forget: the agent is unknown to the store (beat: or has left); "
            + "tasks: the task is unknown",
        "4:the store does not exist (nothing was created); status: it holds nothing",
        "5:tasks retry: the task is not BLOCKED; tasks cancel: it is final",
        "64:bad arguments",
        "70:internal error"},
    footer = {"", "Start with: heartbeat demo"})
final class HeartbeatCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "a command is needed: demo, status, beat, watch, forget or tasks");
  }
}
