package dev.heartbeat.redis;

import dev.heartbeat.HeartbeatStoreException;
import io.lettuce.core.RedisFuture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a store checks on its server when it opens. Refused: scripts that may not call
 * {@code INFO} (without the server's {@code run_id} a restart from an older copy of the data, or a
 * failover, cannot be detected), and an {@code allkeys-*} eviction policy (it may evict a lease
 * and keep the epoch marker). Warned, with the fix: persistence that loses writes on a crash (the
 * store detects the restart and quarantines, but agents' state goes back or is gone), and a
 * server whose {@code CONFIG GET} is disabled (managed Redis), with what to check by hand. Each
 * warning is logged once per server process in this JVM; reading the settings writes nothing.
 */
final class ServerCheck {
  private static final Logger LOG = LoggerFactory.getLogger(ServerCheck.class);
  /** Warnings already logged, by server run_id: a bound, cleared when reached. */
  private static final int LOGGED_LIMIT = 256;
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();
  private static final List<String> SETTINGS =
      List.of("maxmemory-policy", "appendonly", "appendfsync", "save");

  private ServerCheck() {}

  /**
   * Checks the server behind {@code link}.
   *
   * @return the warnings (also logged)
   * @throws HeartbeatStoreException when the server is configured so that the store cannot keep
   *     its promises, naming the setting and the fix
   */
  static List<String> run(RedisLink link) {
    List<Object> probe = link.script(Script.PROBE, "open", new String[0], "0");
    String runId = (String) probe.get(0);
    if (runId.isEmpty()) {
      throw new HeartbeatStoreException(link.describe(), "open", "scripts cannot call INFO ("
          + probe.get(1) + "): without the server's run_id a restart from an older snapshot or"
          + " a failover cannot be detected; allow INFO for this user (ACL +info) and do not"
          + " rename it");
    }
    Map<String, String> config;
    try {
      config = settings(link);
    } catch (HeartbeatStoreException e) {
      return logged(runId, link, List.of("cannot read the server's configuration (CONFIG GET: "
          + rootMessage(e) + "); check by hand that maxmemory-policy is noeviction or volatile-*"
          + " (allkeys-* may evict a lease) and that persistence is appendonly yes with"
          + " appendfsync everysec or always"));
    }
    String policy = config.getOrDefault("maxmemory-policy", "");
    if (policy.startsWith("allkeys-")) {
      throw new HeartbeatStoreException(link.describe(), "open", "maxmemory-policy is " + policy
          + ": Redis may evict a lease while keeping the epoch marker, and a second holder would"
          + " be let in; set maxmemory-policy noeviction (or a volatile-* policy: the store's keys"
          + " have no TTL)");
    }
    return logged(runId, link, persistence(config));
  }

  /** The warnings about persistence; none for an AOF synced every second or on every write. */
  static List<String> persistence(Map<String, String> config) {
    boolean aof = "yes".equals(config.get("appendonly"));
    String fsync = config.getOrDefault("appendfsync", "");
    String save = config.getOrDefault("save", "");
    List<String> out = new ArrayList<>();
    if (aof && fsync.equals("no")) {
      out.add("appendfsync is no: a crash loses the writes the OS had not flushed (up to about 30"
          + " s); the store detects the restart and hands out no lease for its quarantine, but"
          + " agents' state goes back; set appendfsync everysec");
    } else if (!aof && !save.isBlank()) {
      out.add("persistence is RDB snapshots only (save " + save + "): a crash loses every write"
          + " since the last snapshot; the store detects the restart and hands out no lease for its"
          + " quarantine, but agents' state goes back to the snapshot; set appendonly yes with"
          + " appendfsync everysec");
    } else if (!aof) {
      out.add("persistence is off (appendonly no, no save points): a restart loses every agent"
          + " and lease; the store quarantines (no lease handed out for a maximum TTL) and agents"
          + " register again; set appendonly yes with appendfsync everysec");
    }
    return out;
  }

  private static Map<String, String> settings(RedisLink link) {
    List<RedisFuture<Map<String, String>>> futures = new ArrayList<>();
    for (String setting : SETTINGS) { // one at a time: Redis 6 takes one name per CONFIG GET
      futures.add(link.commands().configGet(setting));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (RedisFuture<Map<String, String>> f : futures) {
      out.putAll(link.await(f, "open"));
    }
    return out;
  }

  private static List<String> logged(String runId, RedisLink link, List<String> warnings) {
    for (String warning : warnings) {
      if (LOGGED.size() >= LOGGED_LIMIT) {
        LOGGED.clear();
      }
      if (LOGGED.add(runId + warning)) {
        LOG.warn("{}: {}", link.describe(), warning);
      }
    }
    return warnings;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }
}
