package dev.heartbeat.jdbc;

import dev.heartbeat.Lease;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this store knows of the current term of each lease name: holder, token, and the two
 * values that stay fixed while that token holds the lease, acquiredAt and transitions. Filled by
 * the store's own acquisitions and renewals, keyed by name (a new term replaces the old one),
 * dropped on release and when a renewal finds the lease lost. At most {@code capacity} names; a
 * new name beyond that evicts an arbitrary one (it is then learnt again by reading its row). A
 * hint, never the truth: {@link SingleRenewal} makes the database check it in the renewal's own
 * {@code WHERE}, so a wrong entry costs a read, never a wrong lease. Thread-safe.
 */
final class Terms {
  /** Names remembered by a store that renews through them. */
  static final int CAPACITY = 10_000;

  /** One term: a holder's tenure of a lease under one fencing token. */
  record Term(String holder, long token, Instant acquiredAt, long transitions) {
    static Term of(Lease lease) {
      return new Term(lease.holder(), lease.token(), lease.acquiredAt(), lease.transitions());
    }

    boolean is(String holder, long token) {
      return this.token == token && this.holder.equals(holder);
    }
  }

  private final int capacity;
  private final ConcurrentHashMap<String, Term> byName = new ConcurrentHashMap<>();

  /** A capacity of zero remembers nothing (stores whose renewal returns the whole row). */
  Terms(int capacity) {
    this.capacity = capacity;
  }

  /** The remembered term of {@code name} if it is {@code holder}'s under {@code token}. */
  Term get(String name, String holder, long token) {
    Term term = byName.get(name);
    return term != null && term.is(holder, token) ? term : null;
  }

  void remember(Lease lease) {
    if (capacity == 0) {
      return;
    }
    if (byName.size() >= capacity && !byName.containsKey(lease.name())) {
      Iterator<String> any = byName.keySet().iterator();
      if (any.hasNext()) {
        any.next();
        any.remove();
      }
    }
    byName.put(lease.name(), Term.of(lease));
  }

  /** Forgets the term of {@code name} if it is {@code holder}'s under {@code token}. */
  void forget(String name, String holder, long token) {
    byName.computeIfPresent(name, (n, term) -> term.is(holder, token) ? null : term);
  }

  int size() {
    return byName.size();
  }
}
