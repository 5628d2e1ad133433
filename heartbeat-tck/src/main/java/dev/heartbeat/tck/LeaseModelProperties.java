package dev.heartbeat.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.AgentStatus;
import dev.heartbeat.Lease;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.HeartbeatStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of acquire, renew, release, beat and clock moves from several holders, run
 * against the store and against a tiny reference model. After every step the store must agree
 * with the model on every outcome and on who holds each lease, so at no instant do two holders
 * hold one lease; and every token handed out is greater than all before it for that lease.
 */
public abstract class LeaseModelProperties {
  /** For subclasses: a store's test class extends it. */
  protected LeaseModelProperties() {}

  private static final int HOLDERS = 3;
  private static final int LEASES = 2;

  /**
   * The store under test.
   *
   * @return the store under test
   */
  protected abstract StoreHarness harness();

  /** One step. */
  sealed interface Op permits Acquire, Renew, Release, Advance, BeatOp {}

  record Acquire(int holder, int lease, int ttlSeconds) implements Op {}

  record Renew(int holder, int lease, boolean staleToken, int ttlSeconds) implements Op {}

  record Release(int holder, int lease) implements Op {}

  record Advance(int seconds) implements Op {}

  record BeatOp(int holder) implements Op {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Integer> holder = Arbitraries.integers().between(0, HOLDERS - 1);
    Arbitrary<Integer> lease = Arbitraries.integers().between(0, LEASES - 1);
    Arbitrary<Integer> ttl = Arbitraries.integers().between(1, 10);
    Arbitrary<Op> op = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Combinators.combine(holder, lease, ttl).as(Acquire::new)),
        net.jqwik.api.Tuple.of(4, Combinators.combine(holder, lease, Arbitraries.of(false, false,
            true), ttl).as(Renew::new)),
        net.jqwik.api.Tuple.of(2, Combinators.combine(holder, lease).as(Release::new)),
        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, 8).map(Advance::new)),
        net.jqwik.api.Tuple.of(1, holder.map(BeatOp::new)));
    return op.list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 150)
  void theStoreBehavesLikeTheModel(@ForAll("ops") List<Op> ops) {
    ManualTime time = new ManualTime();
    HeartbeatStore store = harness().open(time, 10);
    try {
      Model model = new Model();
      for (Op op : ops) {
        apply(op, store, model, time);
        for (int l = 0; l < LEASES; l++) {
          String holder = store.lease("l" + l)
              .filter(x -> !x.expiredAt(store.now())).map(Lease::holder).orElse(null);
          assertThat(holder).as("holder of l%d after %s", l, op).isEqualTo(model.holderOf(l));
        }
      }
    } finally {
      store.close();
    }
  }

  private static void apply(Op op, HeartbeatStore store, Model model, ManualTime time) {
    switch (op) {
      case Acquire a -> {
        Optional<Lease> got = store.tryAcquire("l" + a.lease(), "h" + a.holder(),
            Duration.ofSeconds(a.ttlSeconds()));
        boolean expected = model.acquire(a.holder(), a.lease(), a.ttlSeconds());
        assertThat(got.isPresent()).as("%s", a).isEqualTo(expected);
        got.ifPresent(lease -> model.issued(a.holder(), a.lease(), lease.token()));
      }
      case Renew r -> {
        Long known = model.tokens.get(key(r.holder(), r.lease()));
        if (known == null) {
          return;
        }
        long token = r.staleToken() ? known - 1 : known;
        Optional<Lease> got = store.renew("l" + r.lease(), "h" + r.holder(), token,
            Duration.ofSeconds(r.ttlSeconds()));
        assertThat(got.isPresent()).as("%s", r)
            .isEqualTo(model.renew(r.holder(), r.lease(), token, r.ttlSeconds()));
      }
      case Release r -> {
        Long known = model.tokens.get(key(r.holder(), r.lease()));
        if (known == null) {
          return;
        }
        boolean released = store.release("l" + r.lease(), "h" + r.holder(), known);
        assertThat(released).as("%s", r).isEqualTo(model.release(r.holder(), r.lease(), known));
      }
      case Advance a -> {
        time.advance(Duration.ofSeconds(a.seconds()));
        model.now += a.seconds();
      }
      case BeatOp b -> {
        Beat beat = new Beat("agent-" + b.holder(), "inc", ++model.sequence, Optional.empty(),
            AgentStatus.IDLE, OptionalDouble.of(0), Optional.empty(), false, Optional.empty());
        if (store.record(beat).isEmpty()) {
          store.register(beat);
        }
        assertThat(store.agent("agent-" + b.holder())).get()
            .extracting(h -> h.sequence()).isEqualTo(model.sequence);
      }
    }
  }

  private static String key(int holder, int lease) {
    return holder + "/" + lease;
  }

  /** The reference: who holds what until when, in whole seconds. */
  private static final class Model {
    long now;
    long sequence;
    final Integer[] holder = new Integer[LEASES];
    final long[] token = new long[LEASES];
    final long[] expires = new long[LEASES];
    final long[] lastIssued = new long[LEASES];
    final Map<String, Long> tokens = new HashMap<>();

    String holderOf(int lease) {
      return holder[lease] != null && now < expires[lease] ? "h" + holder[lease] : null;
    }

    boolean acquire(int h, int lease, int ttl) {
      if (holderOf(lease) != null) {
        return false;
      }
      holder[lease] = h;
      expires[lease] = now + ttl;
      return true;
    }

    void issued(int h, int lease, long issued) {
      assertThat(issued).as("token of l%d", lease).isGreaterThan(lastIssued[lease]);
      lastIssued[lease] = issued;
      token[lease] = issued;
      tokens.put(key(h, lease), issued);
    }

    boolean renew(int h, int lease, long t, int ttl) {
      if (holderOf(lease) == null || holder[lease] != h || token[lease] != t) {
        return false;
      }
      expires[lease] = now + ttl;
      return true;
    }

    boolean release(int h, int lease, long t) {
      if (holder[lease] == null || holder[lease] != h || token[lease] != t) {
        return false;
      }
      holder[lease] = null;
      return true;
    }
  }
}
