package dev.heartbeat.tck;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.Lease;
import dev.heartbeat.ProgressEvent;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.spi.Retention;
import dev.heartbeat.spi.StoreProblem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The store underneath the kit's own lease models ({@link RacyLeaseStore},
 * {@link RowLockedLeaseStore}): it tells the time of a {@link ManualTime} and does nothing else.
 * The models keep their leases themselves, so the kit tests need no engine module (heartbeat-core
 * tests the kit's contracts on its memory store). Every other call fails loudly.
 */
final class ClockOnlyStore implements HeartbeatStore {
  private final ManualTime time;

  ClockOnlyStore(ManualTime time) {
    this.time = time;
  }

  private static UnsupportedOperationException unused(String operation) {
    return new UnsupportedOperationException(operation + ": the lease models keep leases only");
  }

  @Override
  public String describe() {
    return "clock-only";
  }

  @Override
  public Heartbeat register(Beat first) {
    throw unused("register");
  }

  @Override
  public Optional<Heartbeat> record(Beat beat) {
    throw unused("record");
  }

  @Override
  public Optional<Heartbeat> agent(String agentId) {
    throw unused("agent");
  }

  @Override
  public List<Heartbeat> agents() {
    throw unused("agents");
  }

  @Override
  public List<Heartbeat> history(String agentId, int limit) {
    throw unused("history");
  }

  @Override
  public List<ProgressEvent> events(String agentId, int limit) {
    throw unused("events");
  }

  @Override
  public long prune(Retention retention) {
    throw unused("prune");
  }

  @Override
  public boolean forget(String agentId) {
    throw unused("forget");
  }

  @Override
  public Optional<Lease> tryAcquire(String name, String holder, Duration ttl) {
    throw unused("tryAcquire");
  }

  @Override
  public Optional<Lease> renew(String name, String holder, long token, Duration ttl) {
    throw unused("renew");
  }

  @Override
  public boolean release(String name, String holder, long token) {
    throw unused("release");
  }

  @Override
  public Optional<Lease> lease(String name) {
    throw unused("lease");
  }

  @Override
  public List<Lease> leases() {
    throw unused("leases");
  }

  @Override
  public Instant now() {
    return time.instant();
  }

  @Override
  public List<StoreProblem> problems() {
    return List.of();
  }

  @Override
  public void close() {}
}
