package dev.heartbeat.benchmarks;

import dev.heartbeat.grpc.v1.AgentChange;
import dev.heartbeat.grpc.v1.AgentStatus;
import dev.heartbeat.grpc.v1.BeatReply;
import dev.heartbeat.grpc.v1.BeatRequest;
import dev.heartbeat.grpc.v1.HeartbeatServiceGrpc;
import dev.heartbeat.grpc.v1.WatchRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The load process of {@link GrpcLoadRun}: {@code agents} agents, each on its own
 * {@code BeatStream}, over a few channels (at most {@value #STREAMS_PER_CHANNEL} streams a
 * connection, below the server's 1,000), beating once a second, spread evenly over the second by
 * one sending thread. One agent in {@value #PROBE_EVERY} is a probe: its beats alternate between a
 * {@code LEFT} beat on its stream (the detector reports {@code LEFT}) and a registration of a new
 * incarnation (reported {@code REJOINED}); one {@code Watch} stream matches each change to the
 * send time of the beat that caused it, by agent id and incarnation.
 */
final class GrpcLoad implements AutoCloseable {
  static final int STREAMS_PER_CHANNEL = 500;
  static final int PROBE_EVERY = 100;
  static final int MAX_SAMPLES = 1_000_000;
  static final int MAX_PENDING = 100_000;
  static final int MAX_WATCHES = 100;
  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final com.google.protobuf.Duration INTERVAL = com.google.protobuf.Duration
      .newBuilder().setSeconds(GrpcLoadChild.INTERVAL.toSeconds()).build();

  private final int agents;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final ManagedChannel watchChannel;
  private final String[] ids;
  private final String[] incarnations;
  private final long[] sequences;
  private final int[] generations;
  private final List<StreamObserver<BeatRequest>> streams;
  /** Send time (nanoTime) of each probe beat whose change is awaited, by "id|incarnation|kind". */
  private final ConcurrentHashMap<String, Long> pending = new ConcurrentHashMap<>();
  final LatencySamples left = new LatencySamples(MAX_SAMPLES);
  final LatencySamples rejoined = new LatencySamples(MAX_SAMPLES);
  final LongAdder sent = new LongAdder();
  final LongAdder replied = new LongAdder();
  final LongAdder unknown = new LongAdder();
  final LongAdder errors = new LongAdder();
  final AtomicLong maxLagNanos = new AtomicLong();
  final AtomicReference<Throwable> watchError = new AtomicReference<>();
  final AtomicInteger skippedSamples = new AtomicInteger();
  /** Watch calls opened (1 when the server never ended one). */
  final AtomicInteger watches = new AtomicInteger();
  /** Beats not sent because the agent's previous one was still unanswered. */
  final LongAdder skipped = new LongAdder();
  /** 1 while an agent's beat is unanswered: an agent has at most one beat in flight. */
  private final AtomicIntegerArray inFlight;
  volatile boolean measuring;
  private volatile boolean stopping;
  private Thread sender;

  GrpcLoad(int port, int agents) {
    this.agents = agents;
    int n = (agents + STREAMS_PER_CHANNEL - 1) / STREAMS_PER_CHANNEL;
    for (int i = 0; i < n; i++) {
      channels.add(channel(port));
    }
    watchChannel = channel(port);
    ids = new String[agents];
    incarnations = new String[agents];
    sequences = new long[agents];
    generations = new int[agents];
    streams = new ArrayList<>(agents);
    inFlight = new AtomicIntegerArray(agents);
    for (int i = 0; i < agents; i++) {
      ids[i] = String.format(Locale.ROOT, "load-%06d", i);
      incarnations[i] = ids[i] + "-0";
    }
  }

  private static ManagedChannel channel(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
        .directExecutor().build();
  }

  /** Opens the watch, registers every agent (bounded in flight) and opens their streams. */
  void start(Duration limit) throws InterruptedException {
    watch();
    long deadline = System.nanoTime() + limit.toNanos();
    Semaphore inFlight = new Semaphore(256);
    for (int i = 0; i < agents; i++) {
      if (!inFlight.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException("registered only " + i + " of " + agents + " agents in "
            + limit);
      }
      stub(i).register(beat(i, AgentStatus.IDLE), new StreamObserver<>() {
        @Override
        public void onNext(BeatReply r) {}

        @Override
        public void onError(Throwable t) {
          errors.increment();
          inFlight.release();
        }

        @Override
        public void onCompleted() {
          inFlight.release();
        }
      });
    }
    if (!inFlight.tryAcquire(256, Math.max(1, deadline - System.nanoTime()),
        TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException("registrations still running after " + limit);
    }
    if (errors.sum() > 0) {
      throw new IllegalStateException(errors.sum() + " registrations failed");
    }
    for (int i = 0; i < agents; i++) {
      streams.add(stub(i).beatStream(replies(i)));
    }
    sender = new Thread(this::send, "grpc-load-sender");
    sender.setDaemon(true);
    sender.start();
  }

  /**
   * Opens the watch; when the server ends it (it ends a watcher whose transport buffer is full,
   * as a burst of changes fills it), opens it again, at most {@value #MAX_WATCHES} times.
   */
  private void watch() {
    watches.incrementAndGet();
    HeartbeatServiceGrpc.newStub(watchChannel).watch(WatchRequest.getDefaultInstance(),
        new StreamObserver<>() {
          @Override
          public void onNext(AgentChange change) {
            seen(change);
          }

          @Override
          public void onError(Throwable t) {
            ended(t);
          }

          @Override
          public void onCompleted() {
            ended(new IllegalStateException("the watch ended"));
          }
        });
  }

  private void ended(Throwable t) {
    if (stopping) {
      return;
    }
    watchError.compareAndSet(null, t);
    if (watches.get() < MAX_WATCHES) {
      watch();
    }
  }

  private HeartbeatServiceGrpc.HeartbeatServiceStub stub(int agent) {
    return HeartbeatServiceGrpc.newStub(channels.get(agent / STREAMS_PER_CHANNEL));
  }

  /** Answers to one agent's beats (stream) or registrations: it may send again. */
  private StreamObserver<BeatReply> replies(int agent) {
    return new StreamObserver<>() {
      @Override
      public void onNext(BeatReply r) {
        replied.increment();
        if (!r.hasState()) {
          unknown.increment();
        }
        inFlight.set(agent, 0);
      }

      @Override
      public void onError(Throwable t) {
        if (!stopping) {
          errors.increment();
        }
        inFlight.set(agent, 0);
      }

      @Override
      public void onCompleted() {}
    };
  }

  private BeatRequest beat(int agent, AgentStatus status) {
    return BeatRequest.newBuilder().setAgentId(ids[agent]).setIncarnation(incarnations[agent])
        .setSequence(sequences[agent]).setStatus(status).setInterval(INTERVAL).build();
  }

  /** Every agent once a second, agent {@code i} at {@code i / agents} of the second. */
  private void send() {
    long t0 = System.nanoTime();
    long interval = GrpcLoadChild.INTERVAL.toNanos();
    long next = 0;
    for (long tick = 1; !stopping; tick++) {
      long at = t0 + tick * TICK_NANOS;
      long wait = at - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      long now = System.nanoTime();
      long due = (long) ((now - t0) / (double) interval * agents);
      if (measuring && due - next > 1) {
        long lag = (due - next) * interval / agents;
        maxLagNanos.accumulateAndGet(lag, Math::max);
      }
      for (; next < due && !stopping; next++) {
        beatOnce((int) (next % agents));
      }
    }
  }

  private void beatOnce(int a) {
    if (!inFlight.compareAndSet(a, 0, 1)) {
      skipped.increment(); // as a HeartbeatAgent does: no second beat while one is unanswered
      return;
    }
    boolean probe = a % PROBE_EVERY == 0;
    if (!probe) {
      sequences[a]++;
      streams.get(a).onNext(beat(a, AgentStatus.IDLE));
    } else if (generations[a] % 2 == 0) { // a LEFT beat on its stream, final for its incarnation
      sequences[a]++;
      expect(a, "LEFT");
      streams.get(a).onNext(beat(a, AgentStatus.LEFT));
      generations[a]++;
    } else { // back with a new incarnation: a registration, reported REJOINED
      incarnations[a] = ids[a] + "-" + (generations[a] + 1);
      sequences[a] = 0;
      expect(a, "REJOINED");
      stub(a).register(beat(a, AgentStatus.IDLE), replies(a));
      generations[a]++;
    }
    sent.increment();
  }

  private void expect(int a, String kind) {
    if (!measuring) {
      return;
    }
    if (pending.size() >= MAX_PENDING) {
      skippedSamples.incrementAndGet();
      return;
    }
    pending.put(ids[a] + "|" + incarnations[a] + "|" + kind, System.nanoTime());
  }

  private void seen(AgentChange change) {
    long now = System.nanoTime();
    Long at = pending.remove(change.getAgentId() + "|" + change.getIncarnation() + "|"
        + change.getKind());
    if (at == null) {
      return;
    }
    (change.getKind().equals("LEFT") ? left : rejoined).add(now - at);
  }

  /** Probe beats of the measured window whose change has not been seen (yet). */
  int unseen() {
    return pending.size();
  }

  /** Stops sending; the streams stay open until {@link #close()}. */
  void stopSending() throws InterruptedException {
    measuring = false;
    stopping = true;
    if (sender != null) {
      sender.join(TimeUnit.SECONDS.toMillis(10));
    }
  }

  @Override
  public void close() {
    stopping = true;
    for (StreamObserver<BeatRequest> s : streams) {
      try {
        s.onCompleted();
      } catch (RuntimeException e) {
        // the stream is already gone
      }
    }
    watchChannel.shutdownNow();
    try { // the half-closed streams end as the server answers their last beats
      for (ManagedChannel c : channels) {
        c.shutdown();
      }
      for (ManagedChannel c : channels) {
        if (!c.awaitTermination(5, TimeUnit.SECONDS)) {
          c.shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      channels.forEach(ManagedChannel::shutdownNow);
      Thread.currentThread().interrupt();
    }
  }
}
