package dev.heartbeat.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Lease;
import dev.heartbeat.tck.ManualTime;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The machine's wall clock stepped back (an NTP step, a clock set by hand) while a lease is on
 * disk: the store sees a record written after its own now, so it knows the clock went back, and
 * counts the record's TTL from its now instead of from the record's stamp. A crashed holder's
 * lease is then taken one TTL after the step, not one TTL plus the step; a live holder keeps it
 * by renewing; and it is never taken before one TTL has passed (its holder may still act until
 * then). A step forward looks like time passing: nothing can tell it from a suspend.
 */
class FileClockStepTest {
  private static final Duration TTL = Duration.ofSeconds(30);
  private static final Duration STEP = Duration.ofHours(1);
  private final ManualTime time = new ManualTime();
  /** Added to the manual clock: the wall clock's steps. */
  private final AtomicReference<Duration> step = new AtomicReference<>(Duration.ZERO);
  private final InstantSource wall = () -> time.instant().plus(step.get());
  private final FileStore store = FileStore.open(FileHarness.freshDirectory(), wall, 5);

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aCrashedHoldersLeaseIsTakenOneTtlAfterAStepBackNotOneTtlPlusTheStep() {
    Lease crashed = store.tryAcquire("l", "a", TTL).orElseThrow();
    step.set(STEP.negated());

    assertThat(store.tryAcquire("l", "b", TTL)).as("right after the step").isEmpty();
    time.advance(TTL.minusSeconds(1));
    assertThat(store.tryAcquire("l", "b", TTL)).as("never before one TTL: a holder may still act")
        .isEmpty();
    time.advance(Duration.ofSeconds(2));
    assertThat(store.tryAcquire("l", "b", TTL)).as("one TTL after the step, not an hour later")
        .get().satisfies(l -> {
          assertThat(l.holder()).isEqualTo("b");
          assertThat(l.token()).isGreaterThan(crashed.token());
        });
  }

  @Test
  void aLiveHolderKeepsItsLeaseAcrossAStepBackByRenewing() {
    Lease held = store.tryAcquire("l", "a", TTL).orElseThrow();
    step.set(STEP.negated());
    assertThat(store.tryAcquire("l", "b", TTL)).isEmpty(); // counts the TTL from now on
    time.advance(Duration.ofSeconds(10));
    assertThat(store.renew("l", "a", held.token(), TTL)).as("the holder's renewal still counts")
        .get().extracting(Lease::token).isEqualTo(held.token());
    time.advance(TTL.minusSeconds(1));
    assertThat(store.tryAcquire("l", "b", TTL)).as("renewed: one TTL from the renewal").isEmpty();
    assertThat(store.lease("l")).get().extracting(Lease::holder).isEqualTo("a");
  }

  @Test
  void anUnreadableLeaseIsHeldForItsHoldAfterAStepBackNotTheHoldPlusTheStep()
      throws IOException {
    store.tryAcquire("l", "a", TTL).orElseThrow();
    Files.writeString(store.leaseFiles().leaseFile("l"), "{\"cut");
    assertThat(store.tryAcquire("l", "b", TTL)).as("found unreadable: held").isEmpty();
    step.set(STEP.negated());
    assertThat(store.tryAcquire("l", "b", TTL)).as("right after the step").isEmpty();
    time.advance(TTL.minusSeconds(1));
    assertThat(store.tryAcquire("l", "b", TTL)).as("never before the hold").isEmpty();
    time.advance(Duration.ofSeconds(2));
    assertThat(store.tryAcquire("l", "b", TTL)).as("the hold after the step, not an hour later")
        .isPresent();
  }
}
