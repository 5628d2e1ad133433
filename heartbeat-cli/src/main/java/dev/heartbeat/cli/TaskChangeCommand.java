package dev.heartbeat.cli;

import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.spi.TaskStore;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code heartbeat tasks retry} (a BLOCKED task back to INBOX) and {@code heartbeat tasks cancel}
 * (an INBOX task at once, an IN_PROGRESS one on its worker's next renewal). Exit 3 when the task
 * is unknown, 5 when its state does not allow the change.
 */
@Command(mixinStandardHelpOptions = true,
    description = "retry: a BLOCKED task back to INBOX; cancel: an INBOX task at once, an "
        + "IN_PROGRESS one on its worker's next claim renewal.")
final class TaskChangeCommand implements Callable<Integer> {
  /** Which change. */
  enum Change { RETRY, CANCEL }

  private final Cli cli;
  private final Change change;

  @Mixin
  TaskOptions options;

  @Option(names = "--id", required = true, paramLabel = "ID", description = "The task.")
  String id;

  TaskChangeCommand(Cli cli, Change change) {
    this.cli = cli;
    this.change = change;
  }

  @Override
  public Integer call() {
    String task = TaskOptions.id(id);
    String name = change.name().toLowerCase(java.util.Locale.ROOT);
    StoreUri uri = options.resolve(cli, "tasks " + name);
    return TaskAccess.with(uri, tasks -> {
      Optional<TaskView> changed = apply(tasks, task);
      if (changed.isEmpty()) {
        TaskView t = tasks.read(options.queue, task).orElseThrow(() -> new CliFailure(
            ExitCodes.UNKNOWN_AGENT, "task '" + task + "' is unknown to queue " + options.queue
            + " on " + uri.shown()));
        throw new CliFailure(ExitCodes.NOT_ALLOWED, "task '" + task + "' is " + t.state()
            + (change == Change.RETRY ? ": only a BLOCKED task can be retried"
            : ": a final task cannot be cancelled"));
      }
      if (!options.json) {
        TaskView t = changed.get();
        cli.out().println((change == Change.RETRY ? "retried" : t.state() == TaskState.CANCELLED
            ? "cancelled" : "cancel requested for") + " task " + task + " in queue "
            + options.queue);
      }
      print(cli, options, uri, changed.get());
      return ExitCodes.OK;
    });
  }

  private Optional<TaskView> apply(TaskStore tasks, String task) {
    return change == Change.RETRY ? tasks.retry(options.queue, task)
        : tasks.cancel(options.queue, task);
  }

  /** One task as text or its JSON document. */
  static void print(Cli cli, TaskOptions options, StoreUri uri, TaskView t) {
    if (options.json) {
      cli.out().println(TaskJson.task(uri.shown(), options.queue, t));
    } else {
      TaskText.task(cli.out(), uri.shown(), options.queue, t);
    }
  }
}
