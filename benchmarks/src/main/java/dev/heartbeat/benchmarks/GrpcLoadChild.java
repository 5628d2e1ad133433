package dev.heartbeat.benchmarks;

import dev.heartbeat.DetectorConfig;
import dev.heartbeat.Heartbeat;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.grpc.HeartbeatGrpcServer;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.ForwardingStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The measured process of {@link GrpcLoadRun}, a child JVM so that its CPU time is its own:
 * {@code server <store> <agents> <limit s>} serves a fresh store of that kind through a
 * {@link HeartbeatGrpcServer} on 127.0.0.1 (any free port) with the stall detector of a
 * {@link Heartbeats} on the same store ({@link DetectorConfig#forInterval} of the beat interval);
 * {@code direct <store> <agents> <limit s>} runs that many {@link HeartbeatAgent}s beating
 * every second on a {@link Heartbeats} of a fresh store, no gRPC (the baseline). It prints
 * {@code ready <port>}, then answers each {@code mark} read on stdin with {@code mark <store
 * writes of beats> <peak live threads>}, and ends (removing the store's tables or keys) at end of input or after the
 * limit, whichever comes first.
 */
final class GrpcLoadChild {
  static final Duration INTERVAL = Duration.ofSeconds(1);

  /** Counts the beats written to the store, whatever the call (single, batch, registration). */
  static final class Counting extends ForwardingStore {
    final LongAdder beats = new LongAdder();

    Counting(HeartbeatStore store) {
      super(store);
    }

    @Override
    public Heartbeat register(Beat first) {
      Heartbeat h = store.register(first);
      beats.increment();
      return h;
    }

    @Override
    public Optional<Heartbeat> record(Beat beat) {
      Optional<Heartbeat> h = store.record(beat);
      beats.increment();
      return h;
    }

    @Override
    public List<Optional<Heartbeat>> recordAll(List<Beat> batch) {
      List<Optional<Heartbeat>> out = store.recordAll(batch);
      beats.add(batch.size());
      return out;
    }

    @Override
    public void close() {
      // the fixture closes the store
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 4 || !(args[0].equals("server") || args[0].equals("direct"))) {
      throw new IllegalArgumentException("usage: server|direct <store> <agents> <limit seconds>,"
          + " got " + String.join(" ", args));
    }
    int agents = Integer.parseInt(args[2]);
    long limit = Long.parseLong(args[3]);
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(TimeUnit.SECONDS.toMillis(limit));
        System.err.println("grpc-load child: time limit of " + limit + " s reached, exiting");
        System.exit(3);
      } catch (InterruptedException e) {
        // ended normally
      }
    }, "grpc-load-child-limit");
    watchdog.setDaemon(true);
    watchdog.start();
    try (Fixture fixture = Fixture.open(args[1], 16)) {
      Counting store = new Counting(fixture.store());
      if (args[0].equals("server")) {
        serve(store);
      } else {
        direct(store, agents);
      }
    }
    watchdog.interrupt();
  }

  private static void serve(Counting store) throws Exception {
    try (Heartbeats hb = Heartbeats.builder().store(store).build();
        HeartbeatGrpcServer server = HeartbeatGrpcServer.builder(store)
            .detector(hb.detector(DetectorConfig.forInterval(INTERVAL))).start()) {
      answer(store, server.port());
      server.drain();
    }
  }

  private static void direct(Counting store, int agents) throws Exception {
    try (Heartbeats hb = Heartbeats.builder().store(store).build()) {
      List<HeartbeatAgent> started = new ArrayList<>(agents);
      int groups = 10; // started a tenth of a second apart: each tick carries a tenth
      for (int group = 0; group < groups; group++) {
        for (int i = group; i < agents; i += groups) {
          started.add(hb.agent(String.format(Locale.ROOT, "direct-%06d", i)).interval(INTERVAL)
              .start());
        }
        Thread.sleep(INTERVAL.toMillis() / groups);
      }
      answer(store, 0);
      started.forEach(HeartbeatAgent::close);
    }
  }

  /** Prints {@code ready}, then answers {@code mark} until the end of input. */
  private static void answer(Counting store, int port) throws Exception {
    System.out.println("ready " + port);
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.equals("mark")) {
        System.out.println("mark " + store.beats.sum() + " "
            + ManagementFactory.getThreadMXBean().getPeakThreadCount());
        System.out.flush();
      } else if (line.equals("stop")) {
        return;
      }
    }
  }

  private GrpcLoadChild() {}
}
