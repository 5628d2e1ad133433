package dev.heartbeat.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real three-master Redis Cluster on free loopback ports, each node a private non-persistent
 * {@code redis-server --cluster-enabled yes} in its own directory, joined with
 * {@code redis-cli --cluster create}. Waiting for {@code cluster_state:ok} is a bounded poll.
 */
final class RedisCluster implements AutoCloseable {
  private static final Duration READY = Duration.ofSeconds(30);
  private final List<RedisServer> nodes = new ArrayList<>();

  static RedisCluster start() {
    RedisCluster cluster = new RedisCluster();
    try {
      for (int i = 0; i < 3; i++) {
        cluster.nodes.add(RedisServer.start("--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000"));
      }
      List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      cluster.nodes.forEach(n -> create.add("127.0.0.1:" + n.port()));
      create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      run(create);
      cluster.awaitOk();
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** A client with the store's failure behaviour: bounded calls, no queueing while down. */
  RedisClusterClient client() {
    List<RedisURI> seeds = nodes.stream().map(n -> RedisURI.create(n.uri())).toList();
    RedisClusterClient client = RedisClusterClient.create(seeds);
    client.setOptions(ClusterClientOptions.builder()
        .disconnectedBehavior(ClusterClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(10)))
        .build());
    return client;
  }

  private void awaitOk() {
    long deadline = System.nanoTime() + READY.toNanos();
    for (RedisServer node : nodes) {
      while (!run(List.of("redis-cli", "-p", Integer.toString(node.port()), "cluster", "info"))
          .contains("cluster_state:ok")) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("cluster not ok within " + READY);
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
  }

  private static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Kills every node and deletes their directories. */
  @Override
  public void close() {
    nodes.forEach(RedisServer::close);
    nodes.clear();
  }
}
