package dev.heartbeat.examples.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the run logs ({@link RunLog}) of one test say, read back: the runs of handlers and, per
 * claim (task and token), when it was claimed and renewed and how its end write went. A line
 * that does not parse (none should: each is one write) is counted in {@link #unreadable}.
 */
final class Runs {
  /** The most lines read from one log; a run of seconds writes a few hundred. */
  static final int MAX_LINES = 200_000;

  /**
   * One run of a handler.
   *
   * @param end the wall time its handler came back, or empty when it never did (killed)
   * @param how {@code done}, {@code failed} or {@code interrupted}, or empty
   * @param stop the attempt's stop reason when its handler came back, or {@code -}
   * @param endWrite {@code accepted}, {@code refused} or {@code error} of its end write, or
   *     empty when the worker wrote no end (fenced out, or killed)
   */
  record Run(String task, int attempt, long token, String worker, long start,
      Optional<Long> end, String how, String stop, Optional<String> endWrite) {
    Claim claim() {
      return new Claim(task, token);
    }

    /** Whether the run's handler ran at {@code wall}, or may have (never came back). */
    boolean coversAfter(long wall) {
      return end.map(e -> e > wall).orElse(true);
    }

    @Override
    public String toString() {
      return task + "#" + attempt + " token " + token + " on " + worker + " [" + start + ".."
          + end.map(String::valueOf).orElse("killed") + "] " + how + "/" + stop + " end "
          + endWrite.orElse("none");
    }
  }

  /** One claim: a task and the token it was claimed with. */
  record Claim(String task, long token) {}

  final List<Run> runs;
  /** Per claim, the sent times of the claim and of each renewal that the store answered held. */
  final Map<Claim, List<Long>> validFrom;
  /** Per claim, its end writes as {@code outcome answer}. */
  final Map<Claim, List<String>> ends;
  /** Per claim, its progress writes as {@code answer sent}. */
  final Map<Claim, List<String>> progress;
  final int unreadable;

  private Runs(List<Run> runs, Map<Claim, List<Long>> validFrom, Map<Claim, List<String>> ends,
      Map<Claim, List<String>> progress, int unreadable) {
    this.runs = runs;
    this.validFrom = validFrom;
    this.ends = ends;
    this.progress = progress;
    this.unreadable = unreadable;
  }

  /** Reads every log in {@code logs}. */
  static Runs read(List<Path> logs) {
    Map<Claim, String[]> starts = new LinkedHashMap<>();
    Map<Claim, String[]> returns = new HashMap<>();
    Map<Claim, List<Long>> validFrom = new HashMap<>();
    Map<Claim, List<String>> ends = new HashMap<>();
    Map<Claim, List<String>> progress = new HashMap<>();
    int unreadable = 0;
    for (Path log : logs) {
      for (String line : lines(log)) {
        String[] f = line.split(" ");
        try {
          switch (f[0]) {
            case "START" -> {
              Integer.parseInt(f[2]);
              Long.parseLong(f[5]);
              starts.put(new Claim(f[1], Long.parseLong(f[3])), f);
            }
            case "RETURN" -> {
              Long.parseLong(f[5]);
              if (f.length != 8) {
                throw new IllegalArgumentException("a RETURN line has 8 fields: " + line);
              }
              returns.put(new Claim(f[1], Long.parseLong(f[3])), f);
            }
            case "CLAIMED", "RENEWED" -> validFrom.computeIfAbsent(
                new Claim(f[1], Long.parseLong(f[2])), k -> new ArrayList<>())
                .add(Long.parseLong(f[3]));
            case "END" -> ends.computeIfAbsent(new Claim(f[1], Long.parseLong(f[2])),
                k -> new ArrayList<>()).add(f[3] + " " + f[4]);
            case "PROGRESS" -> progress.computeIfAbsent(new Claim(f[1], Long.parseLong(f[2])),
                k -> new ArrayList<>()).add(f[3] + " " + Long.parseLong(f[4]));
            default -> { } // RUNNING, STATS, RENEW_LOST, RENEW_FAILED: for reading by eye
          }
        } catch (RuntimeException e) {
          unreadable++;
        }
      }
    }
    List<Run> runs = new ArrayList<>();
    for (Map.Entry<Claim, String[]> e : starts.entrySet()) {
      String[] s = e.getValue();
      String[] r = returns.get(e.getKey());
      List<String> written = ends.getOrDefault(e.getKey(), List.of());
      runs.add(new Run(s[1], Integer.parseInt(s[2]), Long.parseLong(s[3]), s[4],
          Long.parseLong(s[5]), r == null ? Optional.empty() : Optional.of(Long.parseLong(r[5])),
          r == null ? "" : r[6], r == null ? "-" : r[7],
          written.isEmpty() ? Optional.empty()
              : Optional.of(written.getLast().split(" ")[1])));
    }
    return new Runs(runs, validFrom, ends, progress, unreadable);
  }

  /** Whether the worker of {@code log} counted an attempt fenced out or fenced by itself. */
  static boolean fenced(Path log) {
    return lines(log).stream().map(l -> l.split(" "))
        .anyMatch(f -> f[0].equals("STATS") && f.length == 4
            && Long.parseLong(f[1]) + Long.parseLong(f[2]) > 0);
  }

  /** The runs of {@code worker}. */
  List<Run> of(String worker) {
    return runs.stream().filter(r -> r.worker().equals(worker)).toList();
  }

  /**
   * The latest wall time at or before {@code wall} from which the claim's worker counted its
   * claim valid: when its claim or a renewal the store answered held was sent.
   */
  Optional<Long> validFrom(Claim claim, long wall) {
    return validFrom.getOrDefault(claim, List.of()).stream().filter(t -> t <= wall)
        .max(Long::compare);
  }

  private static List<String> lines(Path log) {
    if (!Files.exists(log)) {
      return List.of();
    }
    try (var stream = Files.lines(log)) {
      return stream.limit(MAX_LINES).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
