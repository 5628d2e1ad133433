package dev.heartbeat.file;

import com.fasterxml.jackson.databind.JsonNode;
import dev.heartbeat.Lease;
import dev.heartbeat.spi.StoreProblems;
import dev.heartbeat.file.Records.Counter;
import dev.heartbeat.spi.LeaseRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Leases on disk: {@code leases/NAME.json} is the record; the fencing counter lives apart from it,
 * twice ({@code counters/NAME.json} and {@code counters/NAME.copy.json}), so that losing or
 * damaging the record, or one copy of the counter, never lets a token go back: the next token is
 * one above the highest of both copies and the record's own token. The counter is written before
 * the record it numbers. Every read-compare-write holds the lease's lock file, across processes;
 * expiry is judged by the store's clock. Where that clock is seen to have gone back (a record
 * renewed after now, an unreadable record first found after now), the TTL or the hold counts from
 * now: a step back delays a crashed holder's takeover by at most one TTL, not by the step. An unreadable record counts as held until
 * {@link LeaseRules#unreadableHold} after this store first found it so: the longest TTL ever
 * granted for the name, which both counter copies keep (its holder can no longer renew, so it
 * steps down meanwhile). When
 * the record is gone and both counter copies are damaged, the last token is nowhere to be read:
 * the next token is then the clock in microseconds, above any token issued one per acquisition.
 * So it is when the counters directory itself was lost ({@link #countersLost}) and a name has
 * no copy at all.
 */
final class LeaseFiles {
  private static final String JSON = ".json";

  private final Path leases;
  private final Path counters;
  private final Path locks;
  private final InstantSource clock;
  private final StoreProblems problems;
  private final Duration lockTimeout;
  /** Unreadable lease records by file stem, and when this store first found each. */
  private final Map<String, Instant> unreadableSince = new ConcurrentHashMap<>();

  LeaseFiles(Path root, InstantSource clock, StoreProblems problems, Duration lockTimeout) {
    this.leases = root.resolve("leases");
    this.counters = root.resolve("counters");
    this.locks = root.resolve("locks");
    this.clock = clock;
    this.problems = problems;
    this.lockTimeout = lockTimeout;
  }

  Path leaseFile(String name) {
    return leases.resolve(FileNames.encode(name) + JSON);
  }

  /** Both copies of the counter, the main one first. */
  List<Path> counterFiles(String name) {
    String encoded = FileNames.encode(name);
    return List.of(counters.resolve(encoded + JSON), counters.resolve(encoded + ".copy" + JSON));
  }

  Optional<Lease> tryAcquire(String name, String holder, Duration ttl) throws IOException {
    return locked(name, () -> {
      Instant now = clock.instant();
      Lease current = load(leaseFile(name));
      if (current != null && now.isBefore(current.renewedAt())) {
        write(steppedBack(current, now));
        return Optional.empty();
      }
      if (current != null && !current.expiredAt(now)) {
        return Optional.empty();
      }
      Counter floor = current == null ? Counter.ZERO : granted(current);
      List<Path> copies = counterFiles(name);
      int damaged = 0;
      int absent = 0;
      for (Path file : copies) {
        Counter copy = loadCounter(file);
        damaged += copy == null ? 1 : 0;
        absent += copy == Counter.ZERO ? 1 : 0; // the instance itself only for no file
        floor = floor.max(copy == null ? Counter.ZERO : copy);
      }
      Instant noticed = unreadableSince.computeIfPresent(FileNames.encode(name),
          (stem, since) -> now.isBefore(since) ? now : since); // the clock went back: from now
      if (current == null && noticed != null
          && now.isBefore(noticed.plus(LeaseRules.unreadableHold(ttl, floor.longestTtl())))) {
        return Optional.empty(); // its holder cannot renew, and steps down within its ttl
      }
      if (current == null && (damaged == copies.size()
          || absent == copies.size() && Files.exists(lostMarker()))) {
        // every record of the last token is gone: the clock, in microseconds, is above any
        // token this store issued (one per acquisition, never a million a second)
        floor = floor.max(new Counter(Math.max(0, now.toEpochMilli() * 1000 - 1), 0,
            Duration.ZERO));
      }
      Counter next = new Counter(floor.token() + 1, floor.transitions() + 1,
          longer(floor.longestTtl(), ttl));
      writeCounter(name, next);
      Lease lease = new Lease(name, holder, next.token(), now, now, now.plus(ttl),
          next.transitions());
      write(lease);
      return Optional.of(lease);
    });
  }

  Optional<Lease> renew(String name, String holder, long token, Duration ttl) throws IOException {
    return locked(name, () -> {
      Instant now = clock.instant();
      Lease current = load(leaseFile(name));
      if (!heldBy(current, holder, token) || current.expiredAt(now)) {
        return Optional.empty();
      }
      if (ttl.compareTo(granted(current).longestTtl()) > 0) {
        raiseLongestTtl(name, current, ttl); // a longer TTL than this term's: before it counts
      }
      Lease renewed = new Lease(name, holder, token, current.acquiredAt(), now, now.plus(ttl),
          current.transitions());
      write(renewed);
      return Optional.of(renewed);
    });
  }

  /**
   * A record renewed after this store's now: the wall clock went back since it was written (or
   * the writer's clock was ahead). Its TTL is counted from now instead, so a crashed holder's
   * lease is free one TTL after the step rather than one TTL plus the step; and never sooner,
   * since its holder may act until one TTL after its renewal was sent, which was before now.
   */
  private static Lease steppedBack(Lease current, Instant now) {
    Duration ttl = Duration.between(current.renewedAt(), current.expiresAt());
    Instant acquired = current.acquiredAt().isAfter(now) ? now : current.acquiredAt();
    return new Lease(current.name(), current.holder(), current.token(), acquired, now,
        now.plus(ttl), current.transitions());
  }

  /**
   * Keeps {@code ttl} as the longest granted in both counter copies, when it is longer than what
   * they hold. Only a renewal with a TTL longer than its term's last grant reads them: the
   * renewal path with an unchanged TTL stays one read and one write.
   */
  private void raiseLongestTtl(String name, Lease current, Duration ttl) throws IOException {
    Counter floor = granted(current);
    boolean behind = false;
    for (Path file : counterFiles(name)) {
      Counter copy = loadCounter(file);
      floor = floor.max(copy == null ? Counter.ZERO : copy);
      behind |= copy == null || copy.longestTtl().compareTo(ttl) < 0;
    }
    if (behind) {
      writeCounter(name, new Counter(floor.token(), floor.transitions(),
          longer(floor.longestTtl(), ttl)));
    }
  }

  /**
   * Records that the counters directory was lost (deleted under a live store, or missing from a
   * store that had other directories): from then on a name without counter copies is not taken
   * for a name never acquired, and its next token is floored at the clock like one whose copies
   * are both damaged. {@code LOST.json} can be no lease's file name (names are lower case).
   */
  void countersLost() throws IOException {
    Durable.replace(lostMarker(), Json.bytes(Json.object().put("lostAt",
        clock.instant().toString())));
  }

  private Path lostMarker() {
    return counters.resolve("LOST" + JSON);
  }

  private void writeCounter(String name, Counter counter) throws IOException {
    for (Path file : counterFiles(name)) {
      Durable.replace(file, Json.bytes(Records.counter(name, counter)));
      problems.repaired(file.toString());
    }
  }

  /** The counter a lease record implies: its token, its transitions, the TTL of its last grant. */
  private static Counter granted(Lease lease) {
    return new Counter(lease.token(), lease.transitions(),
        Duration.between(lease.renewedAt(), lease.expiresAt()));
  }

  private static Duration longer(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  boolean release(String name, String holder, long token) throws IOException {
    return locked(name, () -> heldBy(load(leaseFile(name)), holder, token)
        && Durable.delete(leaseFile(name)));
  }

  Optional<Lease> lease(String name) throws IOException {
    return Optional.ofNullable(load(leaseFile(name)));
  }

  List<Lease> leases() throws IOException {
    List<Lease> out = new ArrayList<>();
    for (Path file : Listing.records(leases, JSON)) {
      Lease lease = load(file);
      if (lease != null) {
        out.add(lease);
      }
    }
    out.sort(Comparator.comparing(Lease::name));
    return out;
  }

  private void write(Lease lease) throws IOException {
    Path file = leaseFile(lease.name());
    Durable.replace(file, Json.bytes(Records.lease(lease)));
    unreadableSince.remove(FileNames.encode(lease.name()));
    problems.repaired(file.toString());
  }

  private static boolean heldBy(Lease lease, String holder, long token) {
    return lease != null && lease.holder().equals(holder) && lease.token() == token;
  }

  private Lease load(Path file) throws IOException {
    try {
      byte[] content = Durable.readOrNull(file);
      if (content == null) {
        unreadableSince.remove(Listing.stem(file, JSON));
        return null;
      }
      Lease lease = Records.lease(Json.parse(content));
      unreadableSince.remove(Listing.stem(file, JSON));
      return lease;
    } catch (BadRecord e) {
      unreadableSince.putIfAbsent(Listing.stem(file, JSON), clock.instant());
      problems.report(file.toString(), e.getMessage());
      return null;
    }
  }

  /** A counter copy: {@link Counter#ZERO} when absent, null when it exists but cannot be read. */
  private Counter loadCounter(Path file) throws IOException {
    try {
      byte[] content = Durable.readOrNull(file);
      if (content == null) {
        return Counter.ZERO;
      }
      JsonNode node = Json.parse(content);
      return Records.counter(node);
    } catch (BadRecord e) {
      problems.report(file.toString(), e.getMessage());
      return null;
    }
  }

  private <T> T locked(String name, FileLocks.Body<T> body) throws IOException {
    return FileLocks.holding(locks.resolve("lease-" + FileNames.encode(name) + ".lock"),
        lockTimeout, body);
  }
}
