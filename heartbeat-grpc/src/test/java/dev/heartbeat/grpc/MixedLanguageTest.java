package dev.heartbeat.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentChange;
import dev.heartbeat.AgentState;
import dev.heartbeat.AgentStatus;
import dev.heartbeat.DetectorConfig;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.Lease;
import dev.heartbeat.LeaseConfig;
import dev.heartbeat.Leadership;
import dev.heartbeat.LeadershipListener;
import dev.heartbeat.RevokeReason;
import dev.heartbeat.StallDetector;
import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.tck.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Node (clients/node) and Java through one {@link HeartbeatGrpcServer} on a memory store, in real
 * time with generous bounds: a killed Node agent is reported dead while the Java agent beside it
 * stays alive, and Node and Java candidates share one lease with one leader at a time and a
 * fencing token that only grows. Fails (never skips) without node and npm.
 */
class MixedLanguageTest {
  private static final Duration INTERVAL = Duration.ofMillis(200);
  /** Agents beat every 200 ms; suspect after 2 s of silence, dead 2 s later: loaded CI copes. */
  private static final DetectorConfig DETECTOR = DetectorConfig.forInterval(INTERVAL).toBuilder()
      .hardTimeout(Duration.ofSeconds(2)).suspicionGrace(Duration.ofSeconds(2)).build();
  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final Duration TTL = Duration.ofSeconds(2);
  private static final String LEASE = "mixed-leader";

  @Test
  void theKilledNodeAgentIsReportedDeadWhileTheJavaAgentStaysAlive() throws Exception {
    NodeProcesses.installClientLibraries();
    try (MemoryStore memory = new MemoryStore();
        Heartbeats serverSide = Heartbeats.using(memory)) {
      StallDetector detector = serverSide.detector(DETECTOR);
      List<AgentChange> javaChanges = new CopyOnWriteArrayList<>();
      detector.onChange(c -> {
        if (c.agentId().equals("java-agent")) {
          javaChanges.add(c);
        }
      });
      try (HeartbeatGrpcServer server = HeartbeatGrpcServer.start(memory, "127.0.0.1", 0,
              Optional.of(detector));
          Heartbeats javaSide = Heartbeats.open(server.uri());
          NodeProcesses.Running node = NodeProcesses.spawn("mixed-agent.js",
              "127.0.0.1:" + server.port(), "node-agent", String.valueOf(INTERVAL.toMillis()))) {
        javaSide.agent("java-agent").interval(INTERVAL).task("java-task").start();
        Await.until("both agents ALIVE: " + node, () -> alive(detector, "node-agent")
            && alive(detector, "java-agent"), BOUND);
        Await.until("the Node agent hears ALIVE in its beats' answers: " + node,
            () -> node.printed("detector ALIVE"::equals), BOUND);
        long sequence = memory.agent("node-agent").orElseThrow().sequence();
        Await.until("the Node agent beats on", () -> memory.agent("node-agent").orElseThrow()
            .sequence() >= sequence + 5, BOUND);
        assertThat(memory.agent("node-agent").orElseThrow().taskId()).contains("node-task");
        assertThat(memory.agent("node-agent").orElseThrow().status())
            .isEqualTo(AgentStatus.WORKING);

        node.kill();
        Await.until("the killed Node agent DEAD", () -> detector.state("node-agent")
            .equals(Optional.of(AgentState.DEAD)), BOUND);
        assertThat(detector.state("java-agent")).as("the Java agent, changes %s", javaChanges)
            .contains(AgentState.ALIVE);
        assertThat(javaChanges).as("the Java agent was never suspected nor dead")
            .noneMatch(c -> c.to() == AgentState.SUSPECT || c.to() == AgentState.DEAD);
        assertThat(memory.agent("node-agent").orElseThrow().status())
            .as("killed, so it never said LEFT").isEqualTo(AgentStatus.WORKING);
      }
    }
  }

  @Test
  void theNodeAgentReconnectsToARestartedServerAndLeavesWhenStopped() throws Exception {
    NodeProcesses.installClientLibraries();
    try (MemoryStore memory = new MemoryStore()) {
      HeartbeatGrpcServer server = HeartbeatGrpcServer.start(memory, 0);
      int port = server.port();
      try (NodeProcesses.Running node = NodeProcesses.spawn("mixed-agent.js",
          "127.0.0.1:" + port, "node-agent", String.valueOf(INTERVAL.toMillis()))) {
        Await.until("the Node agent beats: " + node, () -> sequence(memory) >= 5, BOUND);
        String incarnation = memory.agent("node-agent").orElseThrow().incarnation();
        server.close();
        Await.until("the Node agent sees its stream break: " + node,
            () -> node.printed(l -> l.startsWith("disconnected ")), BOUND);
        long before = sequence(memory);
        server = HeartbeatGrpcServer.start(memory, "127.0.0.1", port, Optional.empty());
        Await.until("the Node agent beats again: " + node, () -> sequence(memory) >= before + 5,
            BOUND);
        assertThat(memory.agent("node-agent").orElseThrow().incarnation())
            .as("the same agent, not a restart").isEqualTo(incarnation);
        assertThat(node.stop(30)).as("stopped cleanly: %s", node).isZero();
        assertThat(node.printed("stopped"::equals)).isTrue();
        assertThat(memory.agent("node-agent").orElseThrow().status()).isEqualTo(AgentStatus.LEFT);
      } finally {
        server.close();
      }
    }
  }

  private static long sequence(MemoryStore memory) {
    return memory.agent("node-agent").map(h -> h.sequence()).orElse(0L);
  }

  @Test
  void nodeAndJavaCandidatesElectOneLeaderAtATimeWithATokenThatOnlyGrows() throws Exception {
    NodeProcesses.installClientLibraries();
    try (MemoryStore memory = new MemoryStore();
        HeartbeatGrpcServer server = HeartbeatGrpcServer.start(memory, 0)) {
      String address = "127.0.0.1:" + server.port();
      List<Long> elected = new CopyOnWriteArrayList<>(); // every election, Node's and Java's
      AtomicReference<Lease> javaLease = new AtomicReference<>();
      List<RevokeReason> javaRevoked = new CopyOnWriteArrayList<>();
      LeadershipListener javaListener = LeadershipListener.of(l -> {
        elected.add(l.token());
        javaLease.set(l);
      }, (l, reason) -> javaRevoked.add(reason));
      List<NodeProcesses.Running> nodes = new CopyOnWriteArrayList<>();
      AtomicReference<Leadership> java = new AtomicReference<>();
      try (Sampler sampler = new Sampler(memory, nodes, java)) {
        // a Node candidate first: it leads
        NodeProcesses.Running first = NodeProcesses.spawn("mixed-candidate.js", address, LEASE,
            "node-1", String.valueOf(TTL.toMillis()));
        nodes.add(first);
        Await.until("node-1 elected: " + first, () -> first.electedToken() > 0,
            BOUND);
        long firstToken = first.electedToken();
        elected.add(firstToken);
        assertThat(memory.lease(LEASE).orElseThrow().holder()).isEqualTo("node-1");

        // a Java candidate on grpc:// waits while node-1 renews
        try (Heartbeats javaSide = Heartbeats.builder().uri(server.uri()).holderId("java-1")
            .build()) {
          java.set(javaSide.leases().elect(LEASE, LeaseConfig.ofTtl(TTL), javaListener));
          Await.until("java-1 tried twice", () -> java.get().diagnostics().calls().succeeded()
              >= 2, BOUND);
          assertThat(java.get().isLeader()).isFalse();
          assertThat(memory.lease(LEASE).orElseThrow().holder()).isEqualTo("node-1");

          // kill the Node leader: the Java candidate takes over with a larger token
          first.kill();
          Await.until("java-1 elected (and told) after node-1 was killed",
              () -> java.get().isLeader() && javaLease.get() != null, BOUND);
          long javaToken = javaLease.get().token();
          assertThat(javaToken).isGreaterThan(firstToken);

          // a second Node candidate waits while java-1 leads
          NodeProcesses.Running second = NodeProcesses.spawn("mixed-candidate.js", address,
              LEASE, "node-2", String.valueOf(TTL.toMillis()));
          nodes.add(second);
          Await.until("node-2 waiting: " + second, () -> second.printed("waiting"::equals),
              BOUND);
          assertThat(java.get().isLeader()).isTrue();
          assertThat(second.electedToken()).isZero();

          // the Java leader goes away (its Heartbeats closes and releases): node-2 takes over
          javaSide.close();
          Await.until("java-1 told it resigned", () -> !javaRevoked.isEmpty(), BOUND);
          assertThat(javaRevoked).containsExactly(RevokeReason.RESIGNED);
          Await.until("node-2 elected: " + second, () -> second.electedToken() > 0,
              BOUND);
          long secondToken = second.electedToken();
          elected.add(secondToken);
          assertThat(secondToken).isGreaterThan(javaToken);
          assertThat(memory.lease(LEASE).orElseThrow().holder()).isEqualTo("node-2");

          assertThat(second.stop(30)).as("node-2 stopped cleanly: %s", second).isZero();
          assertThat(second.printed(("revoked " + secondToken + " RESIGNED")::equals))
              .as("node-2 resigned: %s", second).isTrue();
        }
        assertThat(elected).as("every election's token, in order").hasSize(3)
            .isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
        assertThat(sampler.samples.get()).as("samples taken").isPositive();
        assertThat(sampler.overlaps).as("moments with two leaders").isEmpty();
        assertThat(sampler.tokenDrops).as("moments the store's token went down").isEmpty();
      } finally {
        for (NodeProcesses.Running n : nodes) {
          n.close();
        }
      }
    }
  }

  private static boolean alive(StallDetector detector, String agent) {
    return detector.state(agent).equals(Optional.of(AgentState.ALIVE));
  }

  /**
   * Every few milliseconds, who claims to lead (a live Node process whose last word was
   * "elected", the Java leadership) and the store's token; notes two claimants at once and a
   * token going down.
   */
  private static final class Sampler implements AutoCloseable {
    final AtomicInteger samples = new AtomicInteger();
    final List<String> overlaps = new CopyOnWriteArrayList<>();
    final List<String> tokenDrops = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    Sampler(MemoryStore memory, List<NodeProcesses.Running> nodes,
        AtomicReference<Leadership> java) {
      thread = Thread.ofPlatform().daemon().name("leader-sampler").start(() -> {
        long lastToken = 0;
        while (running) {
          List<String> leaders = new ArrayList<>();
          for (NodeProcesses.Running n : nodes) {
            if (n.process.isAlive() && n.leads()) {
              leaders.add("node pid " + n.process.pid());
            }
          }
          Leadership j = java.get();
          if (j != null && j.isLeader()) {
            leaders.add("java-1");
          }
          if (leaders.size() > 1 && overlaps.size() < 100) {
            overlaps.add(String.valueOf(leaders));
          }
          long token = memory.lease(LEASE).map(Lease::token).orElse(lastToken);
          if (token < lastToken && tokenDrops.size() < 100) {
            tokenDrops.add(lastToken + " -> " + token);
          }
          lastToken = Math.max(lastToken, token);
          samples.incrementAndGet();
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.join(10_000);
    }
  }
}
