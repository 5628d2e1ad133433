package dev.heartbeat.grpc;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.Lease;
import dev.heartbeat.ProgressEvent;
import dev.heartbeat.grpc.v1.AcquireRequest;
import dev.heartbeat.grpc.v1.AgentLimitRequest;
import dev.heartbeat.grpc.v1.AgentRequest;
import dev.heartbeat.grpc.v1.BeatBatch;
import dev.heartbeat.grpc.v1.BeatReply;
import dev.heartbeat.grpc.v1.Empty;
import dev.heartbeat.grpc.v1.LeaseRequest;
import dev.heartbeat.grpc.v1.PruneRequest;
import dev.heartbeat.grpc.v1.ReleaseRequest;
import dev.heartbeat.grpc.v1.RenewBatch;
import dev.heartbeat.grpc.v1.RenewRequest;
import dev.heartbeat.grpc.v1.StoreInfo;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.LeaseRenewal;
import dev.heartbeat.spi.Retention;
import dev.heartbeat.spi.StoreProblem;
import dev.heartbeat.spi.TaskStore;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The store behind a {@link HeartbeatGrpcServer}, reached over gRPC: every SPI call (tasks
 * included, when the served store keeps them) is one call to the server, with a deadline. The
 * served store's guarantees hold, since it is the one that compares and sets; its clock is the
 * one expiry is judged by. A failing call throws {@link HeartbeatStoreException} naming this
 * store ({@code grpc://host:port}); bad input the {@link IllegalArgumentException} the served
 * store threw, with its message.
 */
public final class GrpcStore implements HeartbeatStore {
  /** The deadline of every call when none is given. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);

  private final ManagedChannel channel;
  private final Remote remote;
  private final StoreInfo info;
  private final Optional<TaskStore> tasks;

  private GrpcStore(ManagedChannel channel, Remote remote, StoreInfo info) {
    this.channel = channel;
    this.remote = remote;
    this.info = info;
    this.tasks = info.getKeepsTasks() ? Optional.of(new GrpcTasks(remote)) : Optional.empty();
  }

  /**
   * Connects to the server at {@code host:port} in plaintext and asks it what it serves.
   *
   * @param host the server's host
   * @param port the server's port
   * @param deadline how long each call may take
   * @return the open store, which the caller closes
   * @throws IllegalArgumentException when the port is outside 1..65535 or the deadline is not
   *     positive
   * @throws HeartbeatStoreException when the server does not answer within the deadline
   */
  public static GrpcStore connect(String host, int port, Duration deadline) {
    return builder(host, port).deadline(deadline).connect();
  }

  /**
   * A builder for a store on the server at {@code host:port}: deadline, token, TLS, keepalive.
   *
   * @param host the server's host
   * @param port the server's port
   * @return a builder for a plaintext connection without a token, with {@link #DEFAULT_DEADLINE}
   * @throws IllegalArgumentException when the port is outside 1..65535
   */
  public static GrpcStoreBuilder builder(String host, int port) {
    return new GrpcStoreBuilder(host, port);
  }

  static GrpcStore open(ManagedChannel channel, Remote remote) {
    try {
      return new GrpcStore(channel, remote,
          remote.call("open", s -> s.describe(Empty.getDefaultInstance())));
    } catch (RuntimeException e) {
      channel.shutdownNow();
      throw e;
    }
  }

  /**
   * This store's address and the served store's description, such as
   * {@code grpc://127.0.0.1:50051 (memory:)}.
   *
   * @return this store's address and the served store's description
   */
  @Override
  public String describe() {
    return remote.description() + " (" + info.getDescription() + ")";
  }

  @Override
  public Heartbeat register(Beat first) {
    Times.notNull("first", first);
    return state(remote.call("register", s -> s.register(AgentProtos.of(first))))
        .orElseThrow(() -> new HeartbeatStoreException(describe(), "register",
            "the server answered no state"));
  }

  @Override
  public Optional<Heartbeat> record(Beat beat) {
    Times.notNull("beat", beat);
    return state(remote.call("record", s -> s.beat(AgentProtos.of(beat))));
  }

  @Override
  public List<Optional<Heartbeat>> recordAll(List<Beat> beats) {
    BeatBatch.Builder m = BeatBatch.newBuilder();
    Times.notNull("beats", beats).forEach(b -> m.addBeats(AgentProtos.of(b)));
    return remote.call("recordAll", s -> s.beatAll(m.build())).getRepliesList().stream()
        .map(GrpcStore::state).toList();
  }

  private static Optional<Heartbeat> state(BeatReply reply) {
    return reply.hasState() ? Optional.of(AgentProtos.heartbeat(reply.getState()))
        : Optional.empty();
  }

  @Override
  public Optional<Heartbeat> agent(String agentId) {
    AgentRequest r = AgentRequest.newBuilder().setAgentId(Times.required("agentId", agentId))
        .build();
    var reply = remote.call("agent", s -> s.getAgent(r));
    return reply.hasState() ? Optional.of(AgentProtos.heartbeat(reply.getState()))
        : Optional.empty();
  }

  @Override
  public List<Heartbeat> agents() {
    return remote.call("agents", s -> s.listAgents(Empty.getDefaultInstance())).getRecordsList()
        .stream().map(AgentProtos::heartbeat).toList();
  }

  @Override
  public List<Heartbeat> history(String agentId, int limit) {
    return remote.call("history", s -> s.history(limited(agentId, limit))).getRecordsList()
        .stream().map(AgentProtos::heartbeat).toList();
  }

  @Override
  public List<ProgressEvent> events(String agentId, int limit) {
    return remote.call("events", s -> s.events(limited(agentId, limit))).getEventsList()
        .stream().map(AgentProtos::event).toList();
  }

  private static AgentLimitRequest limited(String agentId, int limit) {
    return AgentLimitRequest.newBuilder().setAgentId(Times.required("agentId", agentId))
        .setLimit(limit).build();
  }

  @Override
  public long prune(Retention retention) {
    Times.notNull("retention", retention);
    PruneRequest r = PruneRequest.newBuilder().setMaxAge(Times.of(retention.maxAge()))
        .setKeepLast(retention.keepLast()).build();
    return remote.call("prune", s -> s.prune(r)).getCount();
  }

  @Override
  public boolean forget(String agentId) {
    AgentRequest r = AgentRequest.newBuilder().setAgentId(Times.required("agentId", agentId))
        .build();
    return remote.call("forget", s -> s.forget(r)).getDone();
  }

  @Override
  public Optional<Lease> tryAcquire(String name, String holder, Duration ttl) {
    AcquireRequest r = AcquireRequest.newBuilder().setName(Times.required("name", name))
        .setHolder(Times.required("holder", holder)).setTtl(Times.required("ttl", ttl)).build();
    return LeaseProtos.answer(remote.call("tryAcquire(" + name + ")", s -> s.tryAcquire(r)));
  }

  @Override
  public Optional<Lease> renew(String name, String holder, long token, Duration ttl) {
    RenewRequest r = renewal(name, holder, token, ttl);
    return LeaseProtos.answer(remote.call("renew(" + name + ")", s -> s.renew(r)));
  }

  private static RenewRequest renewal(String name, String holder, long token, Duration ttl) {
    return RenewRequest.newBuilder().setName(Times.required("name", name))
        .setHolder(Times.required("holder", holder)).setToken(token)
        .setTtl(Times.required("ttl", ttl)).build();
  }

  @Override
  public List<Optional<Lease>> renewAll(List<LeaseRenewal> renewals) {
    RenewBatch.Builder m = RenewBatch.newBuilder();
    Times.notNull("renewals", renewals)
        .forEach(r -> m.addRenewals(renewal(r.name(), r.holder(), r.token(), r.ttl())));
    return remote.call("renewAll", s -> s.renewAll(m.build())).getRepliesList().stream()
        .map(LeaseProtos::answer).toList();
  }

  @Override
  public boolean release(String name, String holder, long token) {
    ReleaseRequest r = ReleaseRequest.newBuilder().setName(Times.required("name", name))
        .setHolder(Times.required("holder", holder)).setToken(token).build();
    return remote.call("release(" + name + ")", s -> s.release(r)).getDone();
  }

  @Override
  public Optional<Lease> lease(String name) {
    LeaseRequest r = LeaseRequest.newBuilder().setName(Times.required("name", name)).build();
    return LeaseProtos.answer(remote.call("lease(" + name + ")", s -> s.getLease(r)));
  }

  @Override
  public List<Lease> leases() {
    return remote.call("leases", s -> s.listLeases(Empty.getDefaultInstance())).getLeasesList()
        .stream().map(LeaseProtos::lease).toList();
  }

  @Override
  public Optional<Duration> maxLeaseTtl() {
    return Times.duration(info.hasMaxLeaseTtl(), info.getMaxLeaseTtl());
  }

  @Override
  public Instant now() {
    return Times.instant(remote.call("now", s -> s.now(Empty.getDefaultInstance())));
  }

  @Override
  public List<StoreProblem> problems() {
    return remote.call("problems", s -> s.problems(Empty.getDefaultInstance()))
        .getProblemsList().stream().map(LeaseProtos::problem).toList();
  }

  @Override
  public Optional<TaskStore> tasks() {
    return tasks;
  }

  /** Closes the connection to the server (the served store stays open). Idempotent. */
  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(HeartbeatGrpcServer.GRACE.toMillis(),
          TimeUnit.MILLISECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
