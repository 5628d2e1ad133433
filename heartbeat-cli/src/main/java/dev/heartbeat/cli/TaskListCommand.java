package dev.heartbeat.cli;

import dev.heartbeat.TaskCounts;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code heartbeat tasks list}: the queue's counts per state and its tasks, oldest first, in one
 * state or in each; read-only, creates nothing.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "The queue's counts per state and its tasks, oldest first.")
final class TaskListCommand implements Callable<Integer> {
  /** The most tasks one listing shows per state. */
  static final int MAX_LIMIT = 10_000;

  private final Cli cli;

  @Mixin
  TaskOptions options;

  @Option(names = "--state", paramLabel = "STATE",
      description = "Only this state: ${COMPLETION-CANDIDATES}. Default: every state.")
  TaskState state;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
      description = "At most N tasks per state (1 to 10000). Default: ${DEFAULT-VALUE}.")
  int limit;

  TaskListCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new CliFailure(ExitCodes.USAGE, "--limit must be 1 to " + MAX_LIMIT + ", got "
          + limit);
    }
    StoreUri uri = options.resolve(cli, "tasks list");
    return TaskAccess.with(uri, tasks -> {
      TaskCounts counts = tasks.counts(options.queue);
      List<TaskView> shown = new ArrayList<>();
      for (TaskState s : state == null ? TaskState.values() : new TaskState[] {state}) {
        if (counts.of(s) > 0) {
          shown.addAll(tasks.list(options.queue, s, limit));
        }
      }
      if (options.json) {
        cli.out().println(TaskJson.list(uri.shown(), options.queue, counts, shown));
      } else {
        TaskText.counts(cli.out(), uri.shown(), options.queue, counts);
        if (!shown.isEmpty()) {
          TaskText.table(cli.out(), shown);
        }
      }
      return ExitCodes.OK;
    });
  }
}
