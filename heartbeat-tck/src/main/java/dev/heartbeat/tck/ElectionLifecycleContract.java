package dev.heartbeat.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.HeartbeatAgent;
import dev.heartbeat.Heartbeats;
import dev.heartbeat.Leadership;
import dev.heartbeat.Lease;
import dev.heartbeat.LeaseConfig;
import dev.heartbeat.RevokeReason;
import dev.heartbeat.spi.HeartbeatStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's lease lifecycle on this store, and the fixtures {@link ElectionContract} shares:
 * {@code close()} under a hanging store, elect and close loops, a listener that blocks in
 * {@code elected} or closes from inside, wall-clock jumps, and a term's revocation while
 * {@code elected} still runs. A store's test class extends {@link ElectionContract}, which runs
 * these too.
 */
public abstract class ElectionLifecycleContract extends StoreContract {
  /** For subclasses: {@link ElectionContract} extends it. */
  protected ElectionLifecycleContract() {}

  static final Duration TTL = Duration.ofSeconds(15);
  static final LeaseConfig LEASE = LeaseConfig.ofTtl(TTL); // renew 5 s, deadline 10 s

  final List<Heartbeats> engines = new ArrayList<>();
  HeartbeatStore store;

  /**
   * A client of the shared store, with its own link.
   *
   * @param events what its campaign heard
   * @param hb its engine
   * @param id the client's holder id
   * @param link its link to the store, to cut
   */
  protected record Client(String id, FaultyStore link, Heartbeats hb, ElectionRecorder events) {}

  Client client(String id) {
    return client(id, Duration.ofSeconds(5));
  }

  Client client(String id, Duration closeTimeout) {
    if (store == null) {
      store = open();
    }
    FaultyStore link = new FaultyStore(store);
    Heartbeats hb = Heartbeats.builder().store(link).time(time).holderId(id)
        .leaseDefaults(LEASE).closeTimeout(closeTimeout).build();
    engines.add(hb);
    return new Client(id, link, hb, new ElectionRecorder(time));
  }

  @AfterEach
  void closeEngines() {
    for (int i = engines.size() - 1; i >= 0; i--) {
      engines.get(i).close();
    }
  }

  static Leadership elect(Client c) {
    return c.hb().leases().elect("leader", c.events());
  }

  /**
   * Issue 13 item 1: a leader of four leases with one agent, whose store link hangs. close()
   * revokes every leadership at once (before any release returns), releases and leaves in
   * parallel under one deadline, and returns within the close timeout (it took 4 x 3 s + 3 s).
   */
  @Test
  void closeUnderAHangingStoreRevokesEveryLeadershipAtOnceAndIsBounded() throws Exception {
    Duration closeTimeout = Duration.ofSeconds(3);
    Client a = client("a", closeTimeout);
    List<ElectionRecorder> heard = new ArrayList<>();
    List<Leadership> leads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ElectionRecorder recorder = new ElectionRecorder(time);
      heard.add(recorder);
      leads.add(a.hb().leases().elect("lease-" + i, recorder));
    }
    HeartbeatAgent agent = a.hb().agent("worker-1").start();
    Await.until("leading all four", () -> leads.stream().allMatch(Leadership::isLeader));
    Await.until("registered", () -> agent.diagnostics().beats().succeeded() == 1);

    a.link().hang();
    long start = System.nanoTime();
    Thread closer = Thread.ofVirtual().start(a.hb()::close);
    Await.until("every leadership revoked", () -> heard.stream()
        .allMatch(r -> r.revocations() == 1));
    Duration revokedAfter = Duration.ofNanos(System.nanoTime() - start);
    assertThat(leads).noneMatch(Leadership::isLeader);
    assertThat(heard).allSatisfy(r -> assertThat(r.last().reason())
        .isEqualTo(RevokeReason.RESIGNED));
    assertThat(revokedAfter).as("all revoked at once, not one release after another")
        .isLessThan(closeTimeout);
    assertThat(closer.join(Await.DEFAULT)).as("close() returned").isTrue();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).as("close() bounded by closeTimeout, not once per lease")
        .isLessThan(closeTimeout.plusSeconds(2));
    a.link().heal();
  }

  /**
   * Issue 13 item 2: elect, wait for leadership, close, many times over. The listener hears the
   * campaign's transitions in order, each revoked for the term its elected named, and never ends
   * believing it leads (the last event was {@code elected} in 548 of 3,000 runs).
   */
  @Test
  void electAndCloseLoopsEndEveryListenerRevokedInOrder() {
    Client a = client("a");
    for (int run = 0; run < 200; run++) {
      ElectionRecorder recorder = new ElectionRecorder(time);
      Leadership lead = a.hb().leases().elect("loop", recorder);
      Await.until("elected in run " + run, lead::isLeader);
      lead.close();
      List<ElectionRecorder.Event> events = recorder.events();
      assertThat(events).as("run %d", run).extracting(ElectionRecorder.Event::kind)
          .containsExactly("elected", "revoked");
      assertThat(events.get(1).lease().token()).as("revoked names the elected term")
          .isEqualTo(events.get(0).lease().token());
      assertThat(events.get(1).reason()).isEqualTo(RevokeReason.RESIGNED);
    }
  }

  /**
   * Issue 13 item 3: a listener that leads until its {@code elected} returns (the Curator style)
   * is interrupted when its term ends and then hears {@code revoked}; close() does not wait the
   * close timeout for it.
   */
  @Test
  void aListenerBlockingInElectedIsInterruptedAndHearsRevoked() throws Exception {
    Client a = client("a", Duration.ofSeconds(60));
    java.util.concurrent.CountDownLatch leading = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean interrupted =
        new java.util.concurrent.atomic.AtomicBoolean();
    List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    Leadership lead = a.hb().leases().elect("blocking", new dev.heartbeat.LeadershipListener() {
      @Override
      public void elected(Lease lease) {
        heard.add("elected");
        leading.countDown();
        try {
          new java.util.concurrent.CountDownLatch(1).await(); // lead until told to stop
        } catch (InterruptedException e) {
          interrupted.set(true);
        }
        heard.add("elected returned");
      }

      @Override
      public void revoked(Lease lease, RevokeReason reason) {
        heard.add("revoked " + reason);
      }
    });
    assertThat(leading.await(Await.DEFAULT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
        .isTrue();
    Thread closer = Thread.ofVirtual().start(lead::close);
    assertThat(closer.join(Await.DEFAULT)).as("close() returned, not after 60 s").isTrue();
    Await.until("revoked heard", () -> heard.contains("revoked RESIGNED"));
    assertThat(interrupted).as("the leader's work was interrupted").isTrue();
    assertThat(heard).containsExactly("elected", "elected returned", "revoked RESIGNED");
    assertThat(store.lease("blocking")).as("released once the listener stopped").isEmpty();
  }

  /**
   * Issue 13 item 3: close() called inside the listener returns at once instead of waiting the
   * close timeout on its own listener thread, and the lease is released.
   */
  @Test
  void closeCalledInsideTheListenerDoesNotWaitOnItself() throws Exception {
    Client a = client("a", Duration.ofSeconds(60));
    java.util.concurrent.atomic.AtomicReference<Leadership> self =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch created = new java.util.concurrent.CountDownLatch(1);
    Leadership lead = a.hb().leases().elect("self", new dev.heartbeat.LeadershipListener() {
      @Override
      public void elected(Lease lease) {
        heard.add("elected");
        try {
          created.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        self.get().close();
        closed.countDown();
      }

      @Override
      public void revoked(Lease lease, RevokeReason reason) {
        heard.add("revoked " + reason);
      }
    });
    self.set(lead);
    created.countDown();
    assertThat(closed.await(Await.DEFAULT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
        .as("close() inside elected returned, not after 60 s").isTrue();
    Await.until("revoked heard", () -> heard.contains("revoked RESIGNED"));
    assertThat(heard).containsExactly("elected", "revoked RESIGNED");
    Await.until("released", () -> store.lease("self").isEmpty());
  }

  /**
   * Issue 13 item 7: validity ends at the earlier of a monotonic and a wall-clock deadline. A
   * holder whose wall clock jumps past its deadline while its monotonic clock stood still (a
   * suspended VM or laptop) is no longer leader at once, and steps down at the ticker's next round.
   */
  @Test
  void aWallClockJumpPastTheDeadlineEndsLeadershipAtOnce() {
    Client a = client("a");
    Leadership leader = elect(a);
    Await.until("a elected", leader::isLeader);

    time.jumpWall(LEASE.renewDeadline()); // suspended for 10 s: the monotonic clock stood still
    assertThat(leader.isLeader()).as("the wall-clock deadline has passed").isFalse();
    assertThat(leader.lease()).isEmpty();
    time.advance(LEASE.renewInterval()); // the ticker's next round
    Await.until("a revoked", () -> a.events().revocations() == 1);
    // its link is healthy: a may be elected again at once, so its last event may be elected
    assertThat(a.events().firstRevocation().reason()).isEqualTo(RevokeReason.DEADLINE_PASSED);
  }

  /**
   * Issue 13 item 7: a wall clock set back never lengthens validity: the monotonic deadline
   * still ends it.
   */
  @Test
  void aWallClockSetBackNeverLengthensLeadership() {
    Client a = client("a");
    Leadership leader = elect(a);
    Await.until("a elected", leader::isLeader);
    a.link().fail();
    time.jumpWall(Duration.ofHours(-1));
    time.advance(LEASE.renewDeadline());
    assertThat(leader.isLeader()).as("the monotonic deadline has passed").isFalse();
    Await.until("a revoked", () -> a.events().revocations() == 1);
    assertThat(a.events().last().reason()).isEqualTo(RevokeReason.DEADLINE_PASSED);
    a.link().heal();
  }

  /**
   * Issue 13 item 3: a listener that leads until its term ends, waiting on the term's revocation
   * stage rather than on an interrupt: the stage completes while {@code elected} still runs.
   */
  @Test
  void aTermsRevocationCompletesWhileElectedStillRuns() throws Exception {
    Client a = client("a");
    List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicReference<dev.heartbeat.LeaderTerm> seen =
        new java.util.concurrent.atomic.AtomicReference<>();
    Leadership lead = a.hb().leases().elect("term", new dev.heartbeat.LeadershipListener() {
      @Override
      public void elected(dev.heartbeat.LeaderTerm term) {
        seen.set(term);
        heard.add("elected " + term.token() + " valid " + term.isValid());
        RevokeReason why;
        while (true) {
          try {
            why = term.revocation().toCompletableFuture().get();
            break;
          } catch (InterruptedException e) {
            // the interrupt says the same; wait for the stage
          } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e);
          }
        }
        heard.add("term ended " + why + " valid " + term.isValid());
      }

      @Override
      public void elected(Lease lease) {
        throw new AssertionError("elected(LeaderTerm) is what the engine calls");
      }

      @Override
      public void revoked(Lease lease, RevokeReason reason) {
        heard.add("revoked " + lease.token());
      }
    });
    Await.until("elected heard", () -> seen.get() != null);
    long token = seen.get().token();
    assertThat(token).isEqualTo(lead.lease().orElseThrow().token());
    lead.close();
    Await.until("revoked heard", () -> heard.size() == 3);
    assertThat(heard).containsExactly("elected " + token + " valid true",
        "term ended RESIGNED valid false", "revoked " + token);
  }

  /**
   * Issue 13 item 3: the whole {@link Heartbeats#close()} called inside the listener returns
   * without waiting the close timeout for its own {@code revoked}, and releases the lease.
   */
  @Test
  void heartbeatsClosedInsideTheListenerDoesNotWaitOnItself() throws Exception {
    Client a = client("a", Duration.ofSeconds(60));
    java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch created = new java.util.concurrent.CountDownLatch(1);
    a.hb().leases().elect("whole", dev.heartbeat.LeadershipListener.of(lease -> {
      heard.add("elected");
      try {
        created.await(); // elect() has returned: this close() does not race it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      a.hb().close();
      closed.countDown();
    }, (lease, reason) -> heard.add("revoked " + reason)));
    created.countDown();
    assertThat(closed.await(Await.DEFAULT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
        .as("close() inside elected returned, not after 60 s").isTrue();
    Await.until("revoked heard", () -> heard.contains("revoked RESIGNED"));
    assertThat(heard).containsExactly("elected", "revoked RESIGNED");
    assertThat(store.lease("whole")).as("released").isEmpty();
  }
}

