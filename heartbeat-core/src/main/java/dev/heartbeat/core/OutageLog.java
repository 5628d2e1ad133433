package dev.heartbeat.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WARN when a lease's store calls start failing and one INFO when they recover, whatever the
 * number of failed attempts in between (the rest at DEBUG). Used under the campaign's lock.
 */
final class OutageLog {
  private static final Logger LOG = LoggerFactory.getLogger(Campaign.class);

  private final String name;
  private boolean failing;
  private long failedAttempts;
  private volatile long outages; // WARN lines written (for tests)
  private volatile long recoveries; // INFO lines written (for tests)

  OutageLog(String name) {
    this.name = name;
  }

  void failed(String holder, String store, Throwable error) {
    failedAttempts++;
    if (!failing) {
      failing = true;
      outages++;
      LOG.warn("lease {}: calls of {} to {} are failing; retrying with backoff: {}", name,
          holder, store, error.getMessage());
    } else {
      LOG.debug("lease {}: call failed: {}", name, error.getMessage());
    }
  }

  void succeeded(String store) {
    if (failing) {
      failing = false;
      recoveries++;
      LOG.info("lease {}: calls to {} recovered after {} failed attempts", name, store,
          failedAttempts);
      failedAttempts = 0;
    }
  }

  long outages() {
    return outages;
  }

  long recoveries() {
    return recoveries;
  }
}
