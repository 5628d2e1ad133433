package dev.heartbeat.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@link TaskDrainBench}'s drain, heartbeat and db-scheduler interleaved: each round drains a
 * backlog of {@value TaskDrainBench#BACKLOG} tasks on one side, then on the other (the order
 * alternates by round), so that both meet the same load of a shared machine, and the ratio of
 * each round is taken from two drains seconds apart; JMH runs one side's trial after the other's,
 * minutes apart. Per side and round: wall time per task, the PostgreSQL backends' CPU per task
 * (the side's own pool, by {@code application_name}) and this process's CPU per task (the other
 * side idle meanwhile). Prints every round and the medians as Markdown. With {@code stream},
 * a round is {@link TaskThroughputBench}'s instead: {@value TaskThroughputBench#BATCH} tasks
 * submitted one by one while the workers run, until all are done. Not JMH:
 * {@code benchmarks/run.sh task-drain [rounds] [drain|stream]} (8 rounds by default, at most
 * {@value #MAX_ROUNDS}; one round first, unreported, warms both up). Bounded: a round gives up
 * after 120 s.
 */
public final class TaskDrainRun {
  static final int MAX_ROUNDS = 50;

  /** One drain's cost per task, in µs: wall, database backends' CPU, this process's CPU. */
  record Drain(double wall, double server, double client) {}

  /** One side of a round: its tag (for its backends), its work, and what follows it. */
  interface Side {
    String tag();

    /** Prepares a round, untimed. */
    void before() throws Exception;

    /** The timed work; returns how many tasks it ran. */
    long run() throws Exception;

    /** Cleans up after a round, untimed. */
    void after() throws Exception;

    void close() throws Exception;
  }

  private TaskDrainRun() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    if (rounds < 1 || rounds > MAX_ROUNDS) {
      throw new IllegalArgumentException("rounds must be 1 to " + MAX_ROUNDS + ", got " + rounds);
    }
    String mode = args.length > 1 ? args[1] : "drain";
    if (!mode.equals("drain") && !mode.equals("stream")) {
      throw new IllegalArgumentException("mode must be drain or stream, got '" + mode + "'");
    }
    Side hb = mode.equals("drain") ? drainSide("heartbeat") : streamSide("heartbeat");
    Side db = mode.equals("drain") ? drainSide("db-scheduler") : streamSide("db-scheduler");
    try (ServerCpu cpu = ServerCpu.open("postgres", null)) {
      drain(hb, cpu);
      drain(db, cpu); // warm-up
      List<Drain[]> results = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        Drain first = drain(r % 2 == 0 ? hb : db, cpu);
        Drain second = drain(r % 2 == 0 ? db : hb, cpu);
        results.add(r % 2 == 0 ? new Drain[] {first, second} : new Drain[] {second, first});
      }
      print(results);
    } finally {
      hb.close();
      db.close();
    }
  }

  private static Side drainSide(String peer) throws Exception {
    TaskDrainBench.Side s = new TaskDrainBench.Side();
    s.peer = peer;
    s.open();
    TaskDrainBench bench = new TaskDrainBench();
    return new Side() {
      @Override
      public String tag() {
        return s.tag;
      }

      @Override
      public void before() throws Exception {
        s.backlog();
      }

      @Override
      public long run() throws Exception {
        bench.drain(s);
        return TaskDrainBench.BACKLOG;
      }

      @Override
      public void after() throws Exception {
        s.stop();
      }

      @Override
      public void close() throws Exception {
        s.close();
      }
    };
  }

  private static Side streamSide(String peer) throws Exception {
    TaskThroughputBench.Side s = new TaskThroughputBench.Side();
    s.peer = peer;
    s.stats = "analyzed";
    s.open();
    TaskThroughputBench bench = new TaskThroughputBench();
    return new Side() {
      @Override
      public String tag() {
        return s.tag;
      }

      @Override
      public void before() {}

      @Override
      public long run() throws Exception {
        bench.execute(s);
        return TaskThroughputBench.BATCH;
      }

      @Override
      public void after() throws Exception {
        s.prune();
      }

      @Override
      public void close() throws Exception {
        s.close();
      }
    };
  }

  private static Drain drain(Side s, ServerCpu cpu) throws Exception {
    s.before();
    var os = (com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean();
    ServerCpu.Sample before = cpu.sample(s.tag());
    long client = os.getProcessCpuTime();
    long start = System.nanoTime();
    long tasks = s.run();
    long wall = System.nanoTime() - start;
    long clientAfter = os.getProcessCpuTime();
    ServerCpu.Sample after = cpu.sample(s.tag());
    s.after();
    double n = tasks * 1000.0;
    return new Drain(wall / n, (after.ownNanos() - before.ownNanos()) / n,
        (clientAfter - client) / n);
  }

  private static void print(List<Drain[]> results) {
    System.out.println("| round | heartbeat µs/task (db CPU, client CPU) | db-scheduler µs/task"
        + " (db CPU, client CPU) | speed heartbeat / db-scheduler |");
    System.out.println("|---:|---:|---:|---:|");
    double[] ratios = new double[results.size()];
    double[][] cols = new double[6][results.size()];
    for (int i = 0; i < results.size(); i++) {
      Drain h = results.get(i)[0];
      Drain d = results.get(i)[1];
      ratios[i] = d.wall() / h.wall();
      double[] row = {h.wall(), h.server(), h.client(), d.wall(), d.server(), d.client()};
      for (int c = 0; c < row.length; c++) {
        cols[c][i] = row[c];
      }
      System.out.println(String.format(Locale.ROOT, "| %d | %s | %s | %.2fx |", i + 1, cell(h),
          cell(d), ratios[i]));
    }
    Drain mh = new Drain(median(cols[0]), median(cols[1]), median(cols[2]));
    Drain md = new Drain(median(cols[3]), median(cols[4]), median(cols[5]));
    System.out.println(String.format(Locale.ROOT, "| median | %s | %s | %.2fx |", cell(mh),
        cell(md), median(ratios)));
    System.out.println();
    System.out.println(String.format(Locale.ROOT, "Median ratios, db-scheduler / heartbeat: wall"
        + " %.2fx, database CPU %.2fx, client CPU %.2fx (above 1: heartbeat is the cheaper).",
        median(ratios), md.server() / mh.server(), md.client() / mh.client()));
  }

  private static String cell(Drain d) {
    return String.format(Locale.ROOT, "%.0f (%.0f, %.0f)", d.wall(), d.server(), d.client());
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
