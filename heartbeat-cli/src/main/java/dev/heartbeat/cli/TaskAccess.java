package dev.heartbeat.cli;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.TaskStore;
import java.util.function.Function;

/**
 * How every {@code heartbeat tasks} command reaches the store's tasks: the store must exist
 * (nothing is created: exit 4) and keep tasks (exit 64 otherwise); a store failure is exit 2;
 * a value the store refuses (a bad queue or task id) is exit 64 with the store's message.
 */
final class TaskAccess {
  private TaskAccess() {}

  static int with(StoreUri uri, Function<TaskStore, Integer> body) {
    try (HeartbeatStore opened = uri.openExisting()) {
      TaskStore tasks = opened.tasks().orElseThrow(() -> new CliFailure(ExitCodes.USAGE,
          "store " + uri.shown() + " keeps no tasks (" + opened.describe() + ")"));
      return body.apply(tasks);
    } catch (HeartbeatStoreException e) {
      throw uri.unreachable(e);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.USAGE, e.getMessage());
    }
  }
}
