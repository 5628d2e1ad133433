package dev.heartbeat.cli;

import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code heartbeat tasks submit}: submits a task, idempotent by id (a task of that id is shown
 * as it is, unchanged). The store must exist: nothing is created.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
    description = "Submit a task; a task of that id already in the queue is left as it is.")
final class TaskSubmitCommand implements Callable<Integer> {
  private final Cli cli;

  @Mixin
  TaskOptions options;

  @Option(names = "--id", required = true, paramLabel = "ID", description = "The task's id.")
  String id;

  @Option(names = "--payload", paramLabel = "TEXT", description = "The payload. Default: empty.")
  String payload;

  @Option(names = "--payload-file", paramLabel = "FILE",
      description = "Read the payload from FILE (UTF-8) instead.")
  Path payloadFile;

  @Option(names = "--attempt-timeout", paramLabel = "DURATION", converter = Durations.class,
      description = "How long one attempt may run (such as 30m). Default: 30m.")
  Duration attemptTimeout;

  @Option(names = "--progress-timeout", paramLabel = "DURATION", converter = Durations.class,
      description = "How long an attempt may go without progress. Default: the attempt timeout.")
  Duration progressTimeout;

  @Option(names = "--max-attempts", paramLabel = "N",
      description = "Failed attempts before the task is BLOCKED. Default: 3.")
  Integer maxAttempts;

  TaskSubmitCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    TaskSpec spec = spec();
    StoreUri uri = options.resolve(cli, "tasks submit");
    return TaskAccess.with(uri, tasks -> {
      boolean existed = tasks.read(options.queue, spec.id()).isPresent();
      TaskView t = tasks.submit(options.queue, spec);
      if (!options.json) {
        cli.out().println((existed ? "task " + spec.id() + " was already in queue "
            : "submitted task " + spec.id() + " to queue ") + options.queue);
      }
      TaskChangeCommand.print(cli, options, uri, t);
      return ExitCodes.OK;
    });
  }

  private TaskSpec spec() {
    if (payload != null && payloadFile != null) {
      throw new CliFailure(ExitCodes.USAGE, "--payload and --payload-file exclude each other");
    }
    try {
      TaskSpec spec = TaskSpec.of(TaskOptions.id(id), payload != null ? payload : read());
      if (attemptTimeout != null) {
        spec = spec.attemptTimeout(attemptTimeout);
      }
      if (progressTimeout != null) {
        spec = spec.progressTimeout(progressTimeout);
      }
      if (maxAttempts != null) {
        spec = spec.maxAttempts(maxAttempts);
      }
      return spec;
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.USAGE, e.getMessage());
    }
  }

  private String read() {
    if (payloadFile == null) {
      return "";
    }
    try {
      return Files.readString(payloadFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.USAGE, "--payload-file " + payloadFile
          + " cannot be read: " + e.getMessage());
    }
  }
}
