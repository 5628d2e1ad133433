package dev.heartbeat.cli;

import dev.heartbeat.TaskView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code heartbeat tasks show}: one task with its attempt history; exit 3 when unknown. */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = "One task with its attempt history.")
final class TaskShowCommand implements Callable<Integer> {
  private final Cli cli;

  @Mixin
  TaskOptions options;

  @Option(names = "--id", required = true, paramLabel = "ID", description = "The task.")
  String id;

  TaskShowCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    String task = TaskOptions.id(id);
    StoreUri uri = options.resolve(cli, "tasks show");
    return TaskAccess.with(uri, tasks -> {
      TaskView t = tasks.read(options.queue, task).orElseThrow(() -> new CliFailure(
          ExitCodes.UNKNOWN_AGENT, "task '" + task + "' is unknown to queue " + options.queue
          + " on " + uri.shown()));
      TaskChangeCommand.print(cli, options, uri, t);
      return ExitCodes.OK;
    });
  }
}
