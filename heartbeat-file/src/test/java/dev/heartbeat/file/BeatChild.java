package dev.heartbeat.file;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.spi.Beat;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One process of {@link FileForgetTest}: beats agent {@code shared} in the directory given as the
 * first argument, as incarnation {@code args[1]}, {@code args[2]} times, forgetting it every
 * tenth time and registering again whenever the store does not know it (or another incarnation
 * holds it). Prints {@code DONE} at the end; any exception ends it with a stack trace and exit
 * code 1.
 */
public final class BeatChild {
  private BeatChild() {}

  public static void main(String[] args) {
    // a generous lock timeout: three processes in tight loops on one lock starve a poller on a
    // loaded machine (tryLock polling is not fair); the test is about whole records
    try (FileStore store = FileStore.builder(Path.of(args[0]))
        .lockTimeout(java.time.Duration.ofSeconds(60)).build()) {
      String incarnation = args[1];
      int count = Integer.parseInt(args[2]);
      for (int i = 1; i <= count; i++) {
        Beat beat = new Beat("shared", incarnation, i, Optional.of("t"), AgentStatus.WORKING,
            OptionalDouble.of(0.5), Optional.of("p" + i),
            i % 3 == 0, Optional.empty());
        if (i % 10 == 0) {
          store.forget("shared");
        } else if (store.record(beat).filter(h -> h.incarnation().equals(incarnation))
            .isEmpty()) {
          store.register(beat);
        }
      }
      System.out.println("DONE");
    }
  }
}
