package dev.heartbeat.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code heartbeat tasks}: only its subcommands do anything. */
@Command(name = "tasks", mixinStandardHelpOptions = true,
    description = "List, show, submit, retry and cancel the tasks of a queue.")
final class TasksCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** The command with its subcommands, printing to {@code cli}. */
  static CommandLine of(Cli cli) {
    CommandLine tasks = new CommandLine(new TasksCommand());
    tasks.addSubcommand("list", new TaskListCommand(cli));
    tasks.addSubcommand("show", new TaskShowCommand(cli));
    tasks.addSubcommand("submit", new TaskSubmitCommand(cli));
    tasks.addSubcommand("retry", new TaskChangeCommand(cli, TaskChangeCommand.Change.RETRY));
    tasks.addSubcommand("cancel", new TaskChangeCommand(cli, TaskChangeCommand.Change.CANCEL));
    return tasks;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "a command is needed: list, show, submit, retry or cancel");
  }
}
